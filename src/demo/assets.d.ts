// esbuild loads the generated statechart SVG as text.
declare module '*.svg' {
  const text: string;
  export default text;
}
