/**
 * The vendor APIs of this repository: one spec, one package each. The generator, the docs
 * build, the drift check and the `new-vendor` scaffold read this list.
 */
export const VENDORS = [
  {
    key: "zstack",
    name: "ZStack Cloud",
    spec: "specs/zstack.yaml",
    lintName: "zstack@v1",
    packageDir: "packages/zstack",
    packageName: "@signalbridge/zstack",
  },
  {
    key: "eiam",
    name: "Bamboo Cloud IDaaS EIAM",
    spec: "specs/bamboocloud-eiam.yaml",
    lintName: "bamboocloud-eiam@v2",
    packageDir: "packages/bamboocloud-eiam",
    packageName: "@signalbridge/bamboocloud-eiam",
  },
  {
    key: "enos",
    name: "EnOS Application Portal",
    spec: "specs/enos.yaml",
    lintName: "enos@v2.2",
    packageDir: "packages/enos",
    packageName: "@signalbridge/enos",
  },
];

export function vendorByPackageDir(dirName) {
  return VENDORS.find((v) => v.packageDir.endsWith(`/${dirName}`));
}
