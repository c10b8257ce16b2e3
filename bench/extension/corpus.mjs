// Generated benchmark inputs, so no corpus has to be downloaded.

/**
 * A 2,000-line Python module: a few socket servers (some with findings) among ordinary code,
 * the mix a real service file has.
 */
export function twoThousandLinePython() {
  const out = ['"""Generated benchmark module."""', 'import socket', 'import json', '', '# filler line for typing', ''];
  let i = 0;
  while (out.length < 1990) {
    if (i % 40 === 0) {
      out.push(
        `def serve_${i}(port=${8000 + i}):`,
        '    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
        i % 80 === 0 ? '    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)' : '    pass',
        `    srv.bind(("127.0.0.1", ${8000 + i}))`,
        '    srv.listen()',
        '    return srv',
        '',
      );
    } else {
      out.push(
        `def handler_${i}(payload):`,
        `    """Decode and route message ${i}."""`,
        '    data = json.loads(payload)',
        `    if data.get("kind") == "k${i}":`,
        '        return {"ok": True, "value": data.get("value", 0) * 2}',
        '    return {"ok": False}',
        '',
      );
    }
    i++;
  }
  while (out.length < 2000) out.push('');
  return out.join('\n');
}
