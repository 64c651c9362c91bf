import { contextBridge, ipcRenderer } from 'electron'
import { type DesktopBridge, methods } from '../shared/api'

/**
 * The bridge exposes one function per contract method and nothing else: the page never sees
 * ipcRenderer, nor a generic invoke(channel, …).
 */
const bridge = Object.fromEntries(
  methods.map((method) => [method, (input: unknown) => ipcRenderer.invoke(`makegood:${method}`, input)]),
) as DesktopBridge

contextBridge.exposeInMainWorld('makegood', bridge satisfies DesktopBridge)
