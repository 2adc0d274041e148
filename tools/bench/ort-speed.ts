/**
 * Quick speed and error check of qtk static INT8 against FP32 in onnxruntime-node
 * (2 threads, batch 1, interleaved runs, medians) on the ResNet18 or MobileNetV2 builder.
 * Usage: npx tsx --conditions=@qtk/source tools/bench/ort-speed.ts [resnet18|mobilenetv2]
 */
import { quantizeModel, Tensor, encodeModel } from '@qtk/core';
import { ortNode } from '@qtk/onnxruntime/node';
import { buildResNet18, buildMobileNetV2 } from '../models/index.ts';
import * as ort from 'onnxruntime-node';
const which = process.argv[2] ?? 'resnet18';
const m = which === 'resnet18' ? buildResNet18({ seed: 1 }) : buildMobileNetV2({ seed: 1 });
const rand = (seed: number) => { const d = new Float32Array(3*224*224); let s = seed; for (let i=0;i<d.length;i++){ s = (s*1664525+1013904223)>>>0; d[i] = (s/4294967296)*2-1;} return new Tensor('float32',[1,3,224,224],d); };
const calib = Array.from({length: 8}, (_, i) => ({ input: rand(i+1) }));
let t0 = Date.now();
const { model: q, report } = await quantizeModel(m, {}, { executor: ortNode, calibration: calib });
console.log('quantize s', (Date.now()-t0)/1000, 'float nodes', report.float.length, report.float.slice(0,5));
const opts = { intraOpNumThreads: 2, interOpNumThreads: 1 };
const sf = await ort.InferenceSession.create(encodeModel(m).model, opts);
const sq = await ort.InferenceSession.create(encodeModel(q).model, opts);
const x = new ort.Tensor('float32', rand(99).data as Float32Array, [1,3,224,224]);
for (let i=0;i<5;i++){ await sf.run({input:x}); await sq.run({input:x}); }
const tf:number[]=[], tq:number[]=[];
for (let i=0;i<30;i++){ let a=performance.now(); await sf.run({input:x}); tf.push(performance.now()-a); a=performance.now(); const o = await sq.run({input:x}); tq.push(performance.now()-a); }
const med = (v:number[]) => v.sort((a,b)=>a-b)[v.length>>1];
const of = (await sf.run({input:x})).output.data as Float32Array, oq = (await sq.run({input:x})).output.data as Float32Array;
let sig=0, err=0; for (let i=0;i<of.length;i++){ sig+=of[i]**2; err+=(of[i]-oq[i])**2; }
console.log(which, 'fp32 ms', med(tf).toFixed(2), 'int8 ms', med(tq).toFixed(2), 'speedup', (med(tf)/med(tq)).toFixed(2), 'SQNR dB', (10*Math.log10(sig/err)).toFixed(2));
