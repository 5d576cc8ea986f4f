// Everything `stream` is given while `work` runs (a command line's own output), for the specs that
// run the CLI in-process.
export async function captured<T>(stream: NodeJS.WriteStream, work: () => Promise<T>): Promise<{ value: T; text: string }> {
  const chunks: string[] = [];
  const write = stream.write.bind(stream);
  stream.write = (chunk: string) => (chunks.push(String(chunk)), true);
  try {
    return { value: await work(), text: chunks.join('') };
  } finally {
    stream.write = write;
  }
}
