"""Writes fake_yunet_320.onnx: a tiny network with YuNet's input and outputs, for testing the YuNet code path.

OpenCV's FaceDetectorYN (modules/objdetect/src/face_detect.cpp, Apache-2.0) feeds a BGR blob named "input" (0–255,
padded to a multiple of 32) and reads twelve outputs: cls_{8,16,32}, obj_{8,16,32} ([1, N, 1] each), bbox_{8,16,32}
([1, N, 4]: centre offset in cells, log width and height in cells) and kps_{8,16,32} ([1, N, 10]: five landmarks in
cells), N = (H/s)·(W/s) cells in row-major order. The real YuNet (face_detection_yunet_2023mar.onnx) is served by no
package registry this project reaches, so this stand-in has the same interface and a rule simple enough to work out
by hand: a 32 × 32 cell (stride 32) whose mean brightness is above 0.95 of white is a "face" with score 1, a box of
2 × 2.5 cells centred on the cell and fixed landmarks; every other cell and stride scores 0.

Run with Debian's python3-torch:  /usr/bin/python3 make_fake_yunet.py
"""
import math

import torch
import torch.nn.functional as F


class FakeYuNet(torch.nn.Module):
    def forward(self, x):                                          # x: [1, 3, 320, 320], BGR 0–255
        grey = x.mean(dim=1, keepdim=True) / 255.0                 # [1, 1, H, W]
        outputs = {"cls": [], "obj": [], "bbox": [], "kps": []}
        for stride in (8, 16, 32):
            cells = F.avg_pool2d(grey, stride).flatten(2).transpose(1, 2)   # [1, N, 1] mean brightness per cell
            zero = cells * 0
            score = torch.clamp((cells - 0.95) * 20, 0, 1) if stride == 32 else zero   # 1 for a white cell
            outputs["cls"].append(score)
            outputs["obj"].append(score)
            # Box centred on the cell (offset ½, ½), 2 cells wide and 2.5 cells high.
            outputs["bbox"].append(torch.cat([zero + 0.5, zero + 0.5, zero + math.log(2.0), zero + math.log(2.5)], dim=2))
            # Right eye, left eye, nose tip, right and left mouth corner, in cells from the cell's corner.
            landmarks = [0.25, 0.20, 0.75, 0.45, 0.50, 0.60, 0.30, 0.85, 0.70, 0.95]
            outputs["kps"].append(torch.cat([zero + v for v in landmarks], dim=2))
        return tuple(outputs["cls"] + outputs["obj"] + outputs["bbox"] + outputs["kps"])


names = [f"{kind}_{stride}" for kind in ("cls", "obj", "bbox", "kps") for stride in (8, 16, 32)]
torch.onnx.export(FakeYuNet(), torch.zeros(1, 3, 320, 320), "fake_yunet_320.onnx",
                  input_names=["input"], output_names=names, opset_version=11)
print("wrote fake_yunet_320.onnx")
