/**
 * WGSL fragments shared by kernels. Dispatches over more than 65535 workgroups spread over x and y
 * (GpuContext.dispatch); `flatIndex` gives a thread its position in the flattened grid.
 */

/** `fn flatIndex(gid, wg)`: the global thread index for a 1-D kernel with workgroup size `wg`. */
export const FLAT_INDEX = /* wgsl */ `
fn flatIndex(wid: vec3u, lid: vec3u, wg: u32) -> u32 {
  return (wid.x + wid.y * 65535u) * wg + lid.x;
}
`;
