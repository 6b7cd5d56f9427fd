// Validates Kubernetes manifests (YAML documents on stdin, e.g. kubectl kustomize's output) against the
// JSON schemas of the API types that the npm package kubernetes-models ships; no cluster, no network.
// Run by deploy/k8s/validate, from a directory where kubernetes-models and yaml are installed.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
});

let failed = 0;
let checked = 0;
for (const document of parseAllDocuments(input)) {
  if (document.errors.length > 0) {
    console.error(`YAML error: ${document.errors.join("; ")}`);
    failed++;
    continue;
  }
  const object = document.toJS();
  if (object == null) {
    continue;
  }
  const { apiVersion, kind } = object;
  const name = `${kind}/${object.metadata?.name}`;
  // "v1" is the core group; "apps/v1" is group apps, version v1.
  const path = apiVersion.includes("/") ? apiVersion : `v1`;
  let model;
  try {
    model = (await import(`kubernetes-models/${path}/${kind}`))[kind];
  } catch (e) {
    console.error(`${name}: no schema for ${apiVersion} ${kind} (${e.message})`);
    failed++;
    continue;
  }
  try {
    new model(object).validate();
    checked++;
    console.log(`ok ${apiVersion} ${name}`);
  } catch (e) {
    console.error(`${name}: ${e.message}`);
    failed++;
  }
}
if (checked === 0 && failed === 0) {
  console.error("no manifests on stdin");
  process.exit(1);
}
process.exit(failed === 0 ? 0 : 1);
