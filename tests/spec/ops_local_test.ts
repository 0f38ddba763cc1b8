import { createLocalExecutor } from "../../src/exec/local/local_executor.ts";
import { defineConformanceTests } from "./conformance.ts";

defineConformanceTests("local", () => createLocalExecutor({}));
