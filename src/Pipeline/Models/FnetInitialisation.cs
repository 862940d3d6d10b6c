using TorchSharp;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// pytorch_fnet release_1's weight initialisation, applied in the order PyTorch's Module.apply visits
/// modules (children first, in registration order), so a seeded generator draws the same numbers.
/// </summary>
internal static class FnetInitialisation
{
    private const double WeightStandardDeviation = 0.02;

    public static void Apply(nn.Module network)
    {
        using var noGrad = torch.no_grad();
        Visit(network);
    }

    private static void Visit(nn.Module module)
    {
        foreach (var (_, child) in module.named_children())
        {
            Visit(child);
        }

        // Every module whose class name starts with "Conv" (transposed ones included); the bias keeps its default.
        if (IsConvolution(module))
        {
            nn.init.normal_(Parameter(module, "weight"), 0.0, WeightStandardDeviation);
        }
        else if (IsBatchNorm(module))
        {
            nn.init.normal_(Parameter(module, "weight"), 1.0, WeightStandardDeviation);
            nn.init.zeros_(Parameter(module, "bias"));
        }
    }

    private static bool IsConvolution(nn.Module module) =>
        module is FnetConvolution;

    private static bool IsBatchNorm(nn.Module module) =>
        module is TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm3d;

    private static Tensor Parameter(nn.Module module, string name) =>
        module.named_parameters(recurse: false).First(p => p.name == name).parameter;
}
