// The window params block the convolution and pooling kernels take instead of a long list
// of numbers: 16 int32 at a 16-byte aligned address, written once per node when the engine
// plans it (src/windowParams.ts writes the same layout). Fields, by byte offset:
//   0 H, 4 W (input plane; the padded plane for im2colQ/im2colPairQ), 8 kh, 12 kw (kernel),
//   16 sh, 20 sw (strides), 24 dh, 28 dw (dilations), 32 pt, 36 pl, 40 pb, 44 pr (pads),
//   48 OH, 52 OW (output plane), 56 and 60 unused.

/** Input plane height. */
@inline export function winH(p: usize): i32 { return load<i32>(p, 0); }
/** Input plane width. */
@inline export function winW(p: usize): i32 { return load<i32>(p, 4); }
/** Kernel height. */
@inline export function winKh(p: usize): i32 { return load<i32>(p, 8); }
/** Kernel width. */
@inline export function winKw(p: usize): i32 { return load<i32>(p, 12); }
/** Vertical stride. */
@inline export function winSh(p: usize): i32 { return load<i32>(p, 16); }
/** Horizontal stride. */
@inline export function winSw(p: usize): i32 { return load<i32>(p, 20); }
/** Vertical dilation. */
@inline export function winDh(p: usize): i32 { return load<i32>(p, 24); }
/** Horizontal dilation. */
@inline export function winDw(p: usize): i32 { return load<i32>(p, 28); }
/** Top padding. */
@inline export function winPt(p: usize): i32 { return load<i32>(p, 32); }
/** Left padding. */
@inline export function winPl(p: usize): i32 { return load<i32>(p, 36); }
/** Bottom padding. */
@inline export function winPb(p: usize): i32 { return load<i32>(p, 40); }
/** Right padding. */
@inline export function winPr(p: usize): i32 { return load<i32>(p, 44); }
/** Output plane height. */
@inline export function winOH(p: usize): i32 { return load<i32>(p, 48); }
/** Output plane width. */
@inline export function winOW(p: usize): i32 { return load<i32>(p, 52); }
