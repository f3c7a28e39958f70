import { treeSeconds, type ProcStat } from '../src/probes.js';

describe('CPU time of a process tree', () => {
  // As npm start runs PostgreSQL: runuser (the pid file's) → postmaster → its backends.
  const runuser = { pid: 10, ppid: 1, own: 1, children: 0 };
  const postmasterWith = (reaped: number): ProcStat => ({ pid: 11, ppid: 10, own: 20, children: reaped });
  const backend = { pid: 12, ppid: 11, own: 50, children: 0 };

  it('given a backend alive, when it exits and the postmaster below the root reaps it, then the tree keeps its time', () => {
    const before = treeSeconds(10, [runuser, postmasterWith(0), backend]);

    const after = treeSeconds(10, [runuser, postmasterWith(50)]);

    expect(after).toBe(before);
  });

  it('given processes outside the tree, when the tree is summed, then their time is not', () => {
    const stranger = { pid: 13, ppid: 1, own: 900, children: 900 };

    expect(treeSeconds(10, [runuser, postmasterWith(0), backend, stranger])).toBe(treeSeconds(10, [runuser, postmasterWith(0), backend]));
  });
});
