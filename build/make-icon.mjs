#!/usr/bin/env node
// Draws the placeholder app icon build/icon.png (512×512: a blue tile with 营 in Noto Sans SC Bold).
// Run once with `node build/make-icon.mjs`; electron-builder derives .ico/AppImage icons from it.
import { createCanvas, GlobalFonts } from '@napi-rs/canvas'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const font = fileURLToPath(new URL('../node_modules/@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf', import.meta.url))
GlobalFonts.registerFromPath(font, 'NotoSansSC')
const size = 512
const c = createCanvas(size, size)
const g = c.getContext('2d')
const r = 96
g.fillStyle = '#1f5fbf'
g.beginPath()
g.roundRect(16, 16, size - 32, size - 32, r)
g.fill()
g.fillStyle = '#ffffff'
g.font = '260px NotoSansSC'
g.textAlign = 'center'
g.textBaseline = 'middle'
g.fillText('营', size / 2, size / 2 - 30)
g.fillStyle = 'rgba(255,255,255,0.85)'
g.font = '56px NotoSansSC'
g.fillText('MarketDesk', size / 2, size - 80)
writeFileSync(fileURLToPath(new URL('./icon.png', import.meta.url)), c.toBuffer('image/png'))
console.log('wrote build/icon.png')
