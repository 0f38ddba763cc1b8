/**
 * Timing and memory of whole processes, for benchmarks.
 *
 * @module
 */

/** Wall time (s) and peak RSS (MB) of one run of a command. */
export interface ProcessSample {
  seconds: number;
  peakMb: number;
  stdout: string;
  code: number;
}

/** Run `cmd` once under GNU time (for peak RSS) and return its wall time and peak memory. */
export async function sampleProcess(
  cmd: string[],
  options: { cwd?: string } = {},
): Promise<ProcessSample> {
  const useTime = await exists("/usr/bin/time");
  const argv = useTime ? ["/usr/bin/time", "-f", "__rss_kb=%M", ...cmd] : cmd;
  const start = performance.now();
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: options.cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  const stderr = new TextDecoder().decode(out.stderr);
  const rss = /__rss_kb=(\d+)/.exec(stderr);
  if (out.code !== 0) {
    throw new Error(
      `${cmd.join(" ")} exited ${out.code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`,
    );
  }
  return {
    seconds,
    peakMb: rss ? Number(rss[1]) / 1024 : NaN,
    stdout: new TextDecoder().decode(out.stdout),
    code: out.code,
  };
}

/** The median of `runs` samples (after one warm-up run when `warmup` is set). */
export async function medianProcess(
  cmd: string[],
  options: { runs?: number; warmup?: boolean; cwd?: string } = {},
): Promise<ProcessSample> {
  if (options.warmup) await sampleProcess(cmd, options);
  const samples: ProcessSample[] = [];
  for (let i = 0; i < (options.runs ?? 3); i++) samples.push(await sampleProcess(cmd, options));
  samples.sort((a, b) => a.seconds - b.seconds);
  return samples[Math.floor(samples.length / 2)];
}

/** Median wall time in ms of an in-process function. */
export async function medianMs(fn: () => unknown | Promise<unknown>, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
