/**
 * The state of one run of a plan: which ops are ready, which started, which failed, and how many
 * producers each op still waits for. No I/O and no promises: the run (`run_plan.ts`) takes the
 * ready ops, starts them, and says how each settled.
 *
 * @module
 */
import type { PlanGraph } from "./_plan_graph.ts";

/**
 * Ready → started → settled, for each op of a plan. Settling an op looks only at the ops that
 * read it, so a whole run is linear in the plan's size.
 */
export class PlanSchedule {
  readonly #graph: PlanGraph;
  /** For each op, how many of its producers have not settled yet. */
  readonly #waiting: number[];
  readonly #started: boolean[];
  readonly #failed: boolean[];
  #ready: number[] = [];

  /** A schedule for the plan whose dependencies are `graph`; the ops that read no op are ready. */
  constructor(graph: PlanGraph) {
    this.#graph = graph;
    this.#waiting = [...graph.producers];
    this.#started = graph.producers.map(() => false);
    this.#failed = graph.producers.map(() => false);
    graph.producers.forEach((n, i) => n === 0 && this.#ready.push(i));
  }

  /** The ops that became ready since the last call, in plan order; each is handed out once. */
  takeReady(): number[] {
    const ready = this.#ready.sort((a, b) => a - b);
    this.#ready = [];
    return ready;
  }

  /** Mark `indices` started: none of them becomes ready again. */
  start(indices: readonly number[]): void {
    for (const i of indices) this.#started[i] = true;
  }

  /** Whether op `index` was started. */
  isStarted(index: number): boolean {
    return this.#started[index];
  }

  /** How many of the producers of op `index` have not settled yet. */
  waitingFor(index: number): number {
    return this.#waiting[index];
  }

  /**
   * Op `index` has its result: each op reading it that now waits for no other op, and was not
   * started already (a graph runner may have taken it), becomes ready.
   */
  succeeded(index: number): void {
    for (const reader of this.#graph.readers[index]) {
      if (--this.#waiting[reader] === 0 && !this.#started[reader]) this.#ready.push(reader);
    }
  }

  /** Op `index` failed: the ops reading it never become ready. */
  failed(index: number): void {
    this.#failed[index] = true;
  }

  /** The first producer of op `index` (in the order it names its variables) that failed, if any. */
  failedProducer(index: number): number | undefined {
    return [...this.#graph.deps[index].values()].find((p) => p !== -1 && this.#failed[p]);
  }
}
