#!/usr/bin/python3
"""Writes src/Pipeline/Compute/known-answers.npz: the known answers `labelfree selftest` checks every
compute path against.

Run with Debian's interpreter (torch 1.13, numpy):  /usr/bin/python3 make_known_answers.py
The output is committed; rerun only when the known answers must change (then the self-test verdicts
cached on every machine are recomputed, since their key holds the file's SHA-256).

Method. For each case (a 2D and a 3D fnet, small, with channel counts that oneDNN pads to its 8- and
16-channel blocks as well as ones it does not) the network is built with PyTorch's default
initialisation, its batch norms get non-trivial affine parameters and running statistics, and then
everything is computed in float64 by PyTorch's own reference kernels (oneDNN has no float64 path), so
the answers come from neither libtorch 2.10 nor oneDNN:
  - eval-mode output for the input (what inference must give),
  - one training step from that state: train-mode forward, MSE loss against the target, the gradient
    of every parameter, then one Adam step with the paper's settings (lr 0.001, betas 0.5/0.999,
    eps 1e-8), giving the updated parameters and batch-norm running statistics.
Arrays are stored as float32 (int64 for num_batches_tracked) under "<case>/<item>":
  architecture [dims, depth, mult_chan, in_channels, out_channels], input, target, output, loss,
  state/<name> (the state dict before the step), grad/<parameter>, updated/<name> (after the step).
"""
import os
import sys

import numpy
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "PyTorchFnet"))
from make_fixture import Net, randomise_batch_norm  # noqa: E402  (the shared re-statement of pytorch_fnet)

OUTPUT = os.path.join(HERE, "..", "..", "..", "..", "src", "Pipeline", "Compute", "known-answers.npz")
LEARNING_RATE, BETAS, EPS = 0.001, (0.5, 0.999), 1e-8

# name, dims, depth, mult_chan, batch and spatial shape of the input
CASES = [
    ("fnet2d", 2, 2, 4, (2, 1, 48, 48)),
    ("fnet3d", 3, 2, 4, (2, 1, 8, 24, 24)),
]


def f32(tensor):
    return tensor.detach().to(torch.float32).contiguous().numpy()


def case(name, dims, depth, mult_chan, shape, seed):
    torch.manual_seed(seed)
    net = Net(depth=depth, mult_chan=mult_chan, dims=dims)
    generator = torch.Generator().manual_seed(seed + 100)
    randomise_batch_norm(net, generator)
    for module in net.modules():
        if isinstance(module, (torch.nn.BatchNorm2d, torch.nn.BatchNorm3d)):
            module.num_batches_tracked.fill_(7)
    signal = torch.randn(shape, generator=generator)
    target = torch.randn(shape, generator=generator)
    arrays = {
        "architecture": numpy.array([dims, depth, mult_chan, 1, 1], dtype=numpy.int64),
        "input": f32(signal),
        "target": f32(target),
    }
    # Round the starting state to float32 first: the C# side starts from exactly these values.
    with torch.no_grad():
        for tensor in net.state_dict().values():
            if tensor.is_floating_point():
                tensor.copy_(tensor.to(torch.float32))
    for key, tensor in net.state_dict().items():
        arrays["state/" + key] = f32(tensor) if tensor.is_floating_point() else tensor.numpy().astype(numpy.int64)

    net = net.double()
    x, y = signal.double(), target.double()
    net.eval()
    with torch.no_grad():
        arrays["output"] = f32(net(x))

    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE, betas=BETAS, eps=EPS)
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(net(x), y)
    loss.backward()
    arrays["loss"] = numpy.array([loss.item()], dtype=numpy.float32)
    for key, parameter in net.named_parameters():
        arrays["grad/" + key] = f32(parameter.grad)
    optimizer.step()
    for key, tensor in net.state_dict().items():
        arrays["updated/" + key] = f32(tensor) if tensor.is_floating_point() else tensor.numpy().astype(numpy.int64)
    return {f"{name}/{key}": value for key, value in arrays.items()}


def main():
    torch.set_num_threads(1)
    arrays = {}
    for seed, (name, dims, depth, mult_chan, shape) in enumerate(CASES):
        arrays.update(case(name, dims, depth, mult_chan, shape, seed + 11))
    numpy.savez(OUTPUT, **arrays)
    print(f"wrote {os.path.normpath(OUTPUT)}: {len(arrays)} arrays, {os.path.getsize(OUTPUT)} bytes")


if __name__ == "__main__":
    main()
