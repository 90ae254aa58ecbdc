// The baseline: a Node UDP server that answers every datagram with a 200 built by copying the request's
// Via, From, To, Call-ID and CSeq lines. No parsing beyond line splitting, no storage, no logging.
import { createSocket } from 'node:dgram'

const [host, port] = [process.argv[2] ?? '127.0.0.1', Number(process.argv[3] ?? 5060)]
const socket = createSocket('udp4')
const KEEP = /^(via|v|from|f|to|t|call-id|i|cseq):/i
socket.on('message', (msg, rinfo) => {
  const lines = msg.toString('latin1').split('\r\n')
  let out = 'SIP/2.0 200 OK\r\n'
  for (const line of lines) {
    if (line === '') break
    if (KEEP.test(line)) out += /^(to|t):/i.test(line) ? `${line};tag=null\r\n` : `${line}\r\n`
  }
  out += 'Content-Length: 0\r\n\r\n'
  socket.send(Buffer.from(out, 'latin1'), rinfo.port, rinfo.address)
})
socket.bind(port, host, () => {
  try {
    socket.setRecvBufferSize(8 * 1024 * 1024)
  } catch {}
  process.stdout.write('ready\n')
})
process.on('SIGTERM', () => socket.close(() => process.exit(0)))
