/**
 * Print `N passed, N failed` (and `, N skipped`) from a JUnit XML report of `deno test`, after
 * the name of each skipped test on stderr (its name says why it was skipped).
 *
 * Usage: deno run --allow-read tools/junit_summary.ts REPORT.xml
 *
 * @module
 */
const path = Deno.args[0];
if (!path) {
  console.error("usage: junit_summary.ts REPORT.xml");
  Deno.exit(2);
}
const xml = await Deno.readTextFile(path);
let passed = 0;
let failed = 0;
let skipped = 0;
// Each <testcase ...>...</testcase> or <testcase .../>; steps are nested test cases too.
for (const match of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
  const body = match[2] ?? "";
  if (/<failure\b|<error\b/.test(body)) failed++;
  else if (/<skipped\b/.test(body)) {
    skipped++;
    console.error(`skipped: ${unescapeXml(/\bname="([^"]*)"/.exec(match[0])?.[1] ?? "?")}`);
  } else passed++;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);

/** The text of an XML attribute value. */
function unescapeXml(text: string): string {
  return text.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e] as string,
  );
}
