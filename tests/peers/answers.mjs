// Collects the SDK's answers by step; the first error ends the run with exit code 1, so the
// .NET test reading this process sees which step failed and why.
export const results = {};

export function check(step, answer) {
  if (answer.error) {
    console.error(JSON.stringify({ step, error: answer.error }));
    process.exit(1);
  }
  results[step] = answer.data;
  return answer.data;
}

export function printResults() {
  console.log(JSON.stringify(results));
}
