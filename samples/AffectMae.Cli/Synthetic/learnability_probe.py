"""Linear read-out of the synthetic labels from raw pixels: how much signal the generator puts in the frames.

A ridge-regression probe on 32x32 grayscale frames (every 2nd labelled frame), fitted on Train_Set and scored on
Validation_Set with the ABAW metrics. Valence/arousal are scored twice: against the VA files (which trail the face by
SyntheticVideo.ValenceArousalLagFrames = 30 frames) and against the same values moved back 30 frames (the face's own
state), which shows what a model that sees one frame loses to the annotation lag.

    /usr/bin/python3 samples/AffectMae.Cli/Synthetic/learnability_probe.py affectmae-demo/data

Needs numpy and Pillow (Debian: python3-numpy, python3-pil). Development aid only; nothing in the build runs it.
"""
import glob
import os
import sys

import numpy as np
from PIL import Image

LAG = 30


def ccc(x, y):
    mx, my = x.mean(), y.mean()
    return 2 * ((x - mx) * (y - my)).mean() / (x.var() + y.var() + (mx - my) ** 2)


def f1(pred, gold):
    tp = np.sum(pred & gold)
    denominator = pred.sum() + gold.sum()
    return 0.0 if denominator == 0 else 2 * tp / denominator


def read(path, dtype):
    return np.loadtxt(path, delimiter=',', skiprows=1, dtype=dtype, ndmin=2)


def load(root, split):
    pixels, va, va_face, expr, au = [], [], [], [], []
    for va_file in sorted(glob.glob(f'{root}/VA_Estimation_Challenge/{split}/*.txt')):
        video = os.path.basename(va_file)[:-4]
        v = read(va_file, float)
        e = read(f'{root}/EXPR_Recognition_Challenge/{split}/{video}.txt', int)[:, 0]
        a = read(f'{root}/AU_Detection_Challenge/{split}/{video}.txt', int)
        face = np.concatenate([v[LAG:], np.full((LAG, 2), -5.0)])   # the face's own state: the label LAG frames later
        for t in range(0, len(v), 2):
            image = f'{root}/cropped_aligned/{video}/{t + 1:05d}.jpg'
            if not os.path.exists(image) or v[t, 0] == -5 or face[t, 0] == -5 or e[t] < 0 or a[t, 0] < 0:
                continue
            pixels.append(np.asarray(Image.open(image).convert('L').resize((32, 32)), dtype=np.float64).ravel() / 255)
            va.append(v[t]); va_face.append(face[t]); expr.append(e[t]); au.append(a[t])
    return tuple(np.array(x) for x in (pixels, va, va_face, expr, au))


def ridge(x, y, penalty):
    return np.linalg.solve(x.T @ x + penalty * np.eye(x.shape[1]), x.T @ y)


def main(root, penalty=100.0):
    xt, vt, ft, et, at = load(root, 'Train_Set')
    xv, vv, fv, ev, av = load(root, 'Validation_Set')
    mean, std = xt.mean(0), xt.std(0) + 1e-6
    xt, xv = (xt - mean) / std, (xv - mean) / std
    for name, yt, yv in (('VA files (lagged)', vt, vv), ('face state (unlagged)', ft, fv)):
        p = xv @ ridge(xt, yt - yt.mean(0), penalty) + yt.mean(0)
        print(f'{name}: CCC valence {ccc(p[:, 0], yv[:, 0]):.2f}, arousal {ccc(p[:, 1], yv[:, 1]):.2f}')
    onehot = np.eye(8)[et]
    classes = (xv @ ridge(xt, onehot - onehot.mean(0), penalty) + onehot.mean(0)).argmax(1)
    print(f'expression macro-F1 {np.mean([f1(classes == c, ev == c) for c in range(8)]):.2f}')
    units = (xv @ ridge(xt, at - at.mean(0), penalty) + at.mean(0)) >= 0.5
    print(f'mean AU F1 {np.mean([f1(units[:, k], av[:, k] == 1) for k in range(12)]):.2f}')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'affectmae-demo/data')
