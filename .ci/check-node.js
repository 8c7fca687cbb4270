// Says whether this Node.js can run the AWS CDK (make node-check): 22 and 24 are the versions the
// CDK supports; 18 and 20 still work, with an end-of-life banner on every synth; older ones do not.
const version = process.version;
const major = Number(process.versions.node.split(".")[0]);
const install = "install Node.js 22 or 24 LTS from https://nodejs.org";
if (major < 18) {
  console.error(`error: Node.js ${version} is too old for the AWS CDK: ${install}`);
  process.exit(1);
}
if (major < 22) {
  console.error(`note: Node.js ${version} works, but the CDK supports 22 and 24 and prints an end-of-life banner on every synth: ${install}`);
}
