import { assertEquals } from "../../tests/_assert.ts";
import type { PlanGraph } from "./_plan_graph.ts";
import { PlanSchedule } from "./_plan_schedule.ts";

/** A diamond: 0 reads env; 1 and 2 read 0; 3 reads 1 and 2. */
function diamond(): PlanGraph {
  return {
    deps: [
      new Map([["context", -1]]),
      new Map([["a", 0]]),
      new Map([["a", 0]]),
      new Map([["b", 1], ["c", 2]]),
    ],
    readers: [[1, 2], [3], [3], []],
    producers: [0, 1, 1, 2],
  };
}

Deno.test("a schedule makes an op ready once every producer succeeded, each op once", () => {
  const schedule = new PlanSchedule(diamond());
  assertEquals(schedule.takeReady(), [0]);
  assertEquals(schedule.takeReady(), []);
  schedule.start([0]);
  schedule.succeeded(0);
  assertEquals(schedule.takeReady(), [1, 2]);
  schedule.start([1, 2]);
  schedule.succeeded(2);
  assertEquals(schedule.waitingFor(3), 1);
  assertEquals(schedule.takeReady(), []);
  schedule.succeeded(1);
  assertEquals(schedule.takeReady(), [3]);
});

Deno.test("a schedule never readies an op a graph runner already started, nor a failed op's reader", () => {
  const schedule = new PlanSchedule(diamond());
  schedule.takeReady();
  schedule.start([0, 1, 2, 3]);
  schedule.succeeded(0);
  schedule.succeeded(1);
  schedule.failed(2);
  assertEquals(schedule.takeReady(), []);
  assertEquals(schedule.isStarted(3), true);
  assertEquals(schedule.failedProducer(3), 2);
  assertEquals(schedule.failedProducer(1), undefined);
});
