// tasks.js: what the generated Task states' functions answer, on the aws-local-stepfunctions
// side (driver.c answers the same on sfc's). The function name says it:
//
//   echo            returns its input
//   wrap            returns {"from": STATE, "input": its input}
//   fail-ERR        throws ERR, cause "STATE failed"
//   flaky-K-ERR     throws ERR, cause "flaky", on its first K calls (counted per state
//                   in the execution); then returns {"ok": true, "calls": K + 1}
'use strict';

const FN = /^arn:aws:lambda:[^:]*:[0-9]*:function:(.*)$/;

function taskError(name, cause) {
  const e = new Error(cause);
  e.name = name;
  return e;
}

// The local handlers of one execution of DEFINITION: {stateName: async (input) => result}.
function handlers(definition) {
  const out = {};
  walk(definition, (name, state) => {
    if (state.Type !== 'Task') return;
    const m = FN.exec(state.Resource || '');
    const fn = m ? m[1] : '';
    let calls = 0;
    out[name] = async (input) => {
      const call = calls++;
      if (fn === 'echo') return input;
      if (fn === 'wrap') return { from: name, input };
      let k = /^fail-(.*)$/.exec(fn);
      if (k) throw taskError(k[1], `${name} failed`);
      k = /^flaky-([0-9]+)-(.*)$/.exec(fn);
      if (k) {
        if (call < Number(k[1])) throw taskError(k[2], 'flaky');
        return { ok: true, calls: call + 1 };
      }
      throw taskError('States.Runtime', `no local handler for ${fn}`);
    };
  });
  return out;
}

// Calls F(name, state) for every state, in branches and Map bodies too.
function walk(machine, f) {
  for (const [name, state] of Object.entries(machine.States || {})) {
    f(name, state);
    for (const b of state.Branches || []) walk(b, f);
    if (state.ItemProcessor) walk(state.ItemProcessor, f);
    if (state.Iterator) walk(state.Iterator, f);
  }
}

module.exports = { handlers, walk };
