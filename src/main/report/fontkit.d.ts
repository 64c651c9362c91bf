// fontkit ships no types; this is the one call the report uses (checking glyph coverage).
declare module 'fontkit' {
  export type FontkitFont = { hasGlyphForCodePoint: (codePoint: number) => boolean }
  export function openSync(path: string, postscriptName?: string): FontkitFont
}
