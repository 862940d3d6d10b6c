#!/usr/bin/python3
"""Builds the PyTorch fixtures for the LabelFree PyTorch-import tests.

Run with Debian's interpreter (it has torch 1.13):  /usr/bin/python3 make_fixture.py
It rewrites every file in this folder except itself. The outputs are committed; rerun only when the
fixture must change.

The network classes below re-state the pytorch_fnet release_1 U-Net (Ounkomol et al. 2018) from its
description, with the reference's class and attribute names, so that state-dict keys are the ones a
real pytorch_fnet checkpoint has (net_recurse.sub_u.sub_2conv_more.conv1.weight, ...).

Files written:
  fnet3d_model.p            a 3D net, depth 2, mult_chan 2, as a pytorch_fnet release_1 checkpoint dict
                            (nn_module, nn_kwargs, nn_state, optimizer_state, count_iter)
  fnet3d_input.f32          input, float32 little-endian, shape (1, 1, 8, 16, 16)
  fnet3d_expected.f32       PyTorch's eval-mode output for that input, same layout and shape
  fnet2d_state_dict.pt      a 2D net, depth 2, mult_chan 2, as torch.save(net.state_dict())
  fnet2d_input.f32 / fnet2d_expected.f32   shape (1, 1, 32, 32)
  malicious_os_system.p     checkpoint whose pickle calls os.system on load (creates MARKER)
  malicious_eval.pt         state dict whose pickle calls builtins.eval on load (creates MARKER)
  malicious_zero_arg.p      checkpoint whose pickle calls a zero-argument global (os.getpid)
  r1_init_seed7.json        per-tensor sums of a 3D net (depth 2, mult_chan 2) built after torch.manual_seed(7)
                            with release_1's weight initialisation: a seeded C# net must draw the same numbers
  fixture.json              shapes, architectures and file names
"""
import json
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MARKER = "/tmp/labelfree-malicious-pickle-marker"


class SubNet2Conv(torch.nn.Module):
    """Two (conv k3 pad 1 -> batch norm -> ReLU) steps; convs keep their bias as in the reference."""

    def __init__(self, n_in, n_out, dims):
        super().__init__()
        conv = torch.nn.Conv3d if dims == 3 else torch.nn.Conv2d
        norm = torch.nn.BatchNorm3d if dims == 3 else torch.nn.BatchNorm2d
        self.conv1 = conv(n_in, n_out, kernel_size=3, padding=1)
        self.bn1 = norm(n_out)
        self.relu1 = torch.nn.ReLU()
        self.conv2 = conv(n_out, n_out, kernel_size=3, padding=1)
        self.bn2 = norm(n_out)
        self.relu2 = torch.nn.ReLU()

    def forward(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        return self.relu2(self.bn2(self.conv2(x)))


class _Net_recurse(torch.nn.Module):
    """One U-Net level; the skip tensor goes first in the channel concatenation."""

    def __init__(self, n_in_channels, mult_chan, depth, dims):
        super().__init__()
        self.depth = depth
        n_out = n_in_channels * mult_chan
        self.sub_2conv_more = SubNet2Conv(n_in_channels, n_out, dims)
        if depth > 0:
            conv = torch.nn.Conv3d if dims == 3 else torch.nn.Conv2d
            convt = torch.nn.ConvTranspose3d if dims == 3 else torch.nn.ConvTranspose2d
            norm = torch.nn.BatchNorm3d if dims == 3 else torch.nn.BatchNorm2d
            self.sub_2conv_less = SubNet2Conv(2 * n_out, n_out, dims)
            self.conv_down = conv(n_out, n_out, 2, stride=2)
            self.bn0 = norm(n_out)
            self.relu0 = torch.nn.ReLU()
            self.convt = convt(2 * n_out, n_out, kernel_size=2, stride=2)
            self.bn1 = norm(n_out)
            self.relu1 = torch.nn.ReLU()
            self.sub_u = _Net_recurse(n_out, 2, depth - 1, dims)

    def forward(self, x):
        if self.depth == 0:
            return self.sub_2conv_more(x)
        more = self.sub_2conv_more(x)
        down = self.relu0(self.bn0(self.conv_down(more)))
        below = self.sub_u(down)
        up = self.relu1(self.bn1(self.convt(below)))
        return self.sub_2conv_less(torch.cat((more, up), 1))


class Net(torch.nn.Module):
    def __init__(self, depth=4, mult_chan=32, in_channels=1, out_channels=1, dims=3):
        super().__init__()
        conv = torch.nn.Conv3d if dims == 3 else torch.nn.Conv2d
        self.net_recurse = _Net_recurse(in_channels, mult_chan, depth, dims)
        self.conv_out = conv(mult_chan, out_channels, kernel_size=3, padding=1)

    def forward(self, x):
        return self.conv_out(self.net_recurse(x))


def release_1_weights_init(module):
    """release_1's initialisation: conv-like weights ~ N(0, 0.02), batch norm weight ~ N(1, 0.02), bias 0."""
    name = module.__class__.__name__
    if name.startswith("Conv"):
        module.weight.data.normal_(0.0, 0.02)
    elif "BatchNorm" in name:
        module.weight.data.normal_(1.0, 0.02)
        module.bias.data.fill_(0)


def randomise_batch_norm(net, generator):
    """Non-trivial affine parameters and running statistics, so eval-mode batch norm is really exercised."""
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, (torch.nn.BatchNorm2d, torch.nn.BatchNorm3d)):
                n = module.num_features
                module.weight.copy_(1 + 0.2 * torch.randn(n, generator=generator))
                module.bias.copy_(0.1 + 0.2 * torch.randn(n, generator=generator))
                module.running_mean.copy_(0.3 * torch.randn(n, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(n, generator=generator))
                module.num_batches_tracked.fill_(1234)


def write_f32(name, tensor):
    tensor.detach().contiguous().numpy().astype("<f4").tofile(os.path.join(HERE, name))


def build(dims, seed, spatial):
    torch.manual_seed(seed)
    net = Net(depth=2, mult_chan=2, dims=dims)  # PyTorch default init: activations keep a useful spread
    generator = torch.Generator().manual_seed(seed + 100)
    randomise_batch_norm(net, generator)
    net.eval()
    x = torch.randn((1, 1) + spatial, generator=generator)
    with torch.no_grad():
        y = net(x)
    return net, x, y


class OsSystemPayload:
    def __reduce__(self):
        return (os.system, ("touch " + MARKER,))


class EvalPayload:
    def __reduce__(self):
        return (eval, ("open(%r, 'w').close()" % MARKER,))


class ZeroArgumentPayload:
    def __reduce__(self):
        return (os.getpid, ())


def prove_payload_fires(name):
    """Loading with plain torch.load must run the payload: otherwise the rejection test proves nothing."""
    if os.path.exists(MARKER):
        os.remove(MARKER)
    subprocess.run([sys.executable, "-c", "import torch, sys; torch.load(sys.argv[1])", os.path.join(HERE, name)],
                   check=True)
    fired = os.path.exists(MARKER)
    if fired:
        os.remove(MARKER)
    if not fired:
        raise SystemExit("payload in %s did not fire under torch.load" % name)


def main():
    net3d, x3d, y3d = build(3, seed=0, spatial=(8, 16, 16))
    write_f32("fnet3d_input.f32", x3d)
    write_f32("fnet3d_expected.f32", y3d)

    # A pytorch_fnet release_1 checkpoint. The optimizer state comes from one real Adam step on a copy,
    # so the file carries the nested dicts, int keys, lists and tuples a real model.p has; the step covers
    # conv_out only because every optimised tensor adds two zip records and the fixture must stay small.
    trained = Net(depth=2, mult_chan=2, dims=3)
    trained.load_state_dict(net3d.state_dict())
    trained.train()
    optimizer = torch.optim.Adam(trained.conv_out.parameters(), lr=0.001, betas=(0.5, 0.999))
    loss = torch.nn.functional.mse_loss(trained(x3d), torch.zeros_like(y3d))
    loss.backward()
    optimizer.step()
    checkpoint = {
        "nn_module": "fnet_nn_3d_params",
        "nn_kwargs": {"depth": 2, "mult_chan": 2},
        "nn_state": net3d.state_dict(),
        "optimizer_state": optimizer.state_dict(),
        "count_iter": 1,
    }
    torch.save(checkpoint, os.path.join(HERE, "fnet3d_model.p"))

    net2d, x2d, y2d = build(2, seed=1, spatial=(32, 32))
    torch.save(net2d.state_dict(), os.path.join(HERE, "fnet2d_state_dict.pt"))
    write_f32("fnet2d_input.f32", x2d)
    write_f32("fnet2d_expected.f32", y2d)

    small_state = {"net_recurse.sub_2conv_more.conv1.bias": torch.zeros(4)}
    torch.save({"nn_module": "fnet_nn_3d", "nn_kwargs": {}, "nn_state": small_state,
                "payload": OsSystemPayload(), "count_iter": 1}, os.path.join(HERE, "malicious_os_system.p"))
    torch.save({"conv_out.bias": torch.zeros(1), "conv_out.weight": EvalPayload()},
               os.path.join(HERE, "malicious_eval.pt"))
    torch.save({"nn_module": "fnet_nn_3d", "nn_kwargs": {}, "nn_state": small_state,
                "payload": ZeroArgumentPayload(), "count_iter": 1}, os.path.join(HERE, "malicious_zero_arg.p"))
    prove_payload_fires("malicious_os_system.p")
    prove_payload_fires("malicious_eval.pt")

    torch.manual_seed(7)
    seeded = Net(depth=2, mult_chan=2, dims=3)
    seeded.apply(release_1_weights_init)
    sums = {key: float(value.double().sum()) for key, value in seeded.state_dict().items()
            if value.is_floating_point()}
    with open(os.path.join(HERE, "r1_init_seed7.json"), "w") as f:
        json.dump({"seed": 7, "dimensions": 3, "depth": 2, "multChan": 2, "sums": sums}, f, indent=1)
        f.write("\n")

    fixture = {
        "marker": MARKER,
        "fnet3d": {"dimensions": 3, "depth": 2, "multChan": 2, "inChannels": 1, "outChannels": 1,
                   "checkpoint": "fnet3d_model.p", "countIter": 1,
                   "input": "fnet3d_input.f32", "expected": "fnet3d_expected.f32", "shape": list(x3d.shape)},
        "fnet2d": {"dimensions": 2, "depth": 2, "multChan": 2, "inChannels": 1, "outChannels": 1,
                   "stateDict": "fnet2d_state_dict.pt",
                   "input": "fnet2d_input.f32", "expected": "fnet2d_expected.f32", "shape": list(x2d.shape)},
        "torch": torch.__version__,
    }
    with open(os.path.join(HERE, "fixture.json"), "w") as f:
        json.dump(fixture, f, indent=2)
        f.write("\n")
    for name, y in (("3d", y3d), ("2d", y2d)):
        print("fnet%s output: mean %.4f std %.4f absmax %.4f" % (name, y.mean(), y.std(), y.abs().max()))


if __name__ == "__main__":
    main()
