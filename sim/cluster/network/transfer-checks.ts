/**
 * Argument checks shared by the network models. A bad device id or size usually comes from a scenario
 * (a group naming a device that does not exist), so it is reported as an `InputError`.
 */
import { InputError } from "../../errors.ts";

export function checkTransfer(
  deviceCount: number,
  src: number,
  dst: number,
  bytes: number,
  rateCap: number,
): void {
  if (!(Number.isInteger(src) && src >= 0 && src < deviceCount)) {
    throw new InputError("transfer.src", src, `a device id in [0, ${deviceCount})`);
  }
  if (!(Number.isInteger(dst) && dst >= 0 && dst < deviceCount)) {
    throw new InputError("transfer.dst", dst, `a device id in [0, ${deviceCount})`);
  }
  if (src === dst) throw new InputError("transfer.dst", dst, "a device other than the source");
  if (!(bytes >= 0 && bytes < Number.POSITIVE_INFINITY)) {
    throw new InputError("transfer.bytes", bytes, "a non-negative finite number of bytes");
  }
  if (!(rateCap > 0))
    throw new InputError("transfer.rateCap", rateCap, "a positive number of bytes per second");
}
