/**
 * A translator, as narrow as the pure shared code needs: i18next's `t` fits it, and tests can
 * pass a plain function without building an i18next instance.
 */
export type Translate = (key: string, options?: Record<string, unknown>) => string
