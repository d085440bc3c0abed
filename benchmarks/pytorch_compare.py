"""PyTorch's side of benchmarks/pytorch-compare.sh: times the U-Net/ResNet-34 that `medseg bench train|infer` times
(smp's layout, built here in plain torch because segmentation_models_pytorch may not be installed) on random data,
as PyTorch users run it: "default" (fp32, NCHW), "tuned" (channels-last + bf16 autocast) and "tuned-fp32"
(channels-last alone: the faster of the two tunings on a CPU whose bf16 has no AMX). One JSON line per
result, median of the timed steps after warm-up, with the same keys as MedSeg's benchmark lines where they mean
the same."""
import argparse
import json
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + identity)


class ResNet34Encoder(nn.Module):
    def __init__(self, in_channels):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        layers, cin = [], 64
        for cout, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
            layers.append(nn.Sequential(*[BasicBlock(cin if i == 0 else cout, cout, stride if i == 0 else 1) for i in range(blocks)]))
            cin = cout
        self.layer1, self.layer2, self.layer3, self.layer4 = layers

    def forward(self, x):
        stem = F.relu(self.bn1(self.conv1(x)))
        f1 = self.layer1(self.maxpool(stem))
        f2 = self.layer2(f1)
        f3 = self.layer3(f2)
        return [stem, f1, f2, f3, self.layer4(f3)]


class DecoderBlock(nn.Module):
    def __init__(self, cin, skip, cout):
        super().__init__()
        self.conv1 = conv_bn_relu(cin + skip, cout)
        self.conv2 = conv_bn_relu(cout, cout)

    def forward(self, x, skip):
        x = F.interpolate(x, scale_factor=2, mode="nearest")
        if skip is not None:
            x = torch.cat([x, skip], 1)
        return self.conv2(self.conv1(x))


class Unet(nn.Module):
    """smp.Unet("resnet34", decoder_channels=(256, 128, 64, 32, 16)) without the pretrained weights."""

    def __init__(self, in_channels, classes):
        super().__init__()
        self.encoder = ResNet34Encoder(in_channels)
        ins, skips, outs = [512, 256, 128, 64, 32], [256, 128, 64, 64, 0], [256, 128, 64, 32, 16]
        self.blocks = nn.ModuleList([DecoderBlock(i, s, o) for i, s, o in zip(ins, skips, outs)])
        self.head = nn.Conv2d(16, classes, 3, padding=1)

    def forward(self, x):
        features = self.encoder(x)[::-1]
        y = features[0]
        for i, block in enumerate(self.blocks):
            y = block(y, features[i + 1] if i + 1 < len(features) else None)
        return self.head(y)


def bce_dice(logits, target):
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = logits.sigmoid()
    dims = (0, 2, 3)
    dice = (2 * (p * target).sum(dims)) / (p.sum(dims) + target.sum(dims)).clamp_min(1e-7)
    present = (target.sum(dims) > 0).float()
    return bce + ((1 - dice) * present).mean()


def timed(step, warmup, steps):
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        step()
        if i >= warmup:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2], times[0]


def run(args, mode, training):
    torch.manual_seed(0)
    tuned = mode == "tuned"  # channels-last + bf16 autocast
    channels_last = mode in ("tuned", "tuned-fp32")  # tuned-fp32: channels-last alone, for CPUs without fast bf16
    model = Unet(args.in_channels, args.classes)
    x = torch.randn(args.batch, args.in_channels, args.size, args.size)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    if training:
        model.train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
        target = (torch.rand(args.batch, args.classes, args.size, args.size) > 0.9).float()

        def step():
            optimizer.zero_grad()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=tuned):
                logits = model(x)
            loss = bce_dice(logits.float(), target)
            loss.backward()
            optimizer.step()
    else:
        model.eval()

        def step():
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=tuned):
                model(x).float().sigmoid().sum().item()
    median, fastest = timed(step, args.warmup, args.steps)
    key = "ms_per_step" if training else "ms_per_batch"
    return {
        "bench": "train" if training else "infer", "framework": f"pytorch {torch.__version__}", "mode": mode,
        "precision": "bf16" if tuned else "fp32", "layout": "channels_last" if channels_last else "nchw",
        "arch": "unet", "encoder": "resnet34", "batch": args.batch, "size": f"{args.size}x{args.size}",
        "in_channels": args.in_channels, "classes": args.classes, "threads": torch.get_num_threads(), "steps": args.steps,
        key: round(median, 1), "ms_min": round(fastest, 1), "ms_per_example": round(median / args.batch, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--in-channels", type=int, default=3)
    parser.add_argument("--classes", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--modes", default="default,tuned,tuned-fp32",
                        help="comma-separated: default (fp32 NCHW), tuned (channels-last + bf16 autocast), tuned-fp32 (channels-last, fp32)")
    parser.add_argument("--what", default="train,infer", help="comma-separated: train, infer")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for what in args.what.split(","):
        for mode in args.modes.split(","):
            print(json.dumps(run(args, mode, what == "train")), flush=True)


if __name__ == "__main__":
    main()
