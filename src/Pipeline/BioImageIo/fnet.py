"""The fnet U-Net of Ounkomol et al. (2018) in PyTorch, as LabelFree builds it (LabelFree.Pipeline.Models.Fnet).

Written for LabelFree's bioimage.io packages: weights.pt is a state dict of this network (module names as in
pytorch_fnet, e.g. net_recurse.sub_u.sub_2conv_more.conv1.weight). The top level works at mult_chan channels,
each level below at twice its parent's; every spatial input size must be a multiple of 2**depth.

    net = Net(dims=3, depth=4, mult_chan=32, in_channels=1, out_channels=1)
    net.load_state_dict(torch.load("weights.pt"))
    net.eval()
    prediction = net(zscored_input)   # (batch, channel, z, y, x) -> (batch, channel, z, y, x)
"""
import torch


def _layers(dims):
    if dims == 3:
        return torch.nn.Conv3d, torch.nn.ConvTranspose3d, torch.nn.BatchNorm3d
    if dims == 2:
        return torch.nn.Conv2d, torch.nn.ConvTranspose2d, torch.nn.BatchNorm2d
    raise ValueError("fnet has 2 or 3 spatial dimensions, not %r" % (dims,))


class SubNet2Conv(torch.nn.Module):
    """Two (convolution k3 pad 1 -> batch norm -> ReLU) steps."""

    def __init__(self, n_in, n_out, dims):
        super().__init__()
        conv, _, norm = _layers(dims)
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
    """One U-Net level: the skip tensor goes first in the channel concatenation."""

    def __init__(self, n_in, n_out, depth, dims):
        super().__init__()
        conv, convt, norm = _layers(dims)
        self.depth = depth
        self.sub_2conv_more = SubNet2Conv(n_in, n_out, dims)
        if depth > 0:
            self.sub_2conv_less = SubNet2Conv(2 * n_out, n_out, dims)
            self.conv_down = conv(n_out, n_out, kernel_size=2, stride=2)
            self.bn0 = norm(n_out)
            self.relu0 = torch.nn.ReLU()
            self.convt = convt(2 * n_out, n_out, kernel_size=2, stride=2)
            self.bn1 = norm(n_out)
            self.relu1 = torch.nn.ReLU()
            self.sub_u = _Net_recurse(n_out, 2 * n_out, depth - 1, dims)

    def forward(self, x):
        if self.depth == 0:
            return self.sub_2conv_more(x)
        more = self.sub_2conv_more(x)
        down = self.relu0(self.bn0(self.conv_down(more)))
        below = self.sub_u(down)
        up = self.relu1(self.bn1(self.convt(below)))
        return self.sub_2conv_less(torch.cat((more, up), 1))


class Net(torch.nn.Module):
    """The whole network: the recursive levels, then a k3 convolution to the output channels (no activation)."""

    def __init__(self, dims=3, depth=4, mult_chan=32, in_channels=1, out_channels=1):
        super().__init__()
        conv, _, _ = _layers(dims)
        self.net_recurse = _Net_recurse(in_channels, mult_chan, depth, dims)
        self.conv_out = conv(mult_chan, out_channels, kernel_size=3, padding=1)

    def forward(self, x):
        return self.conv_out(self.net_recurse(x))
