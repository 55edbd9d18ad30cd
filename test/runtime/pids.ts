/** Whether a process with this id exists (signal 0 only checks). For the process tests. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
