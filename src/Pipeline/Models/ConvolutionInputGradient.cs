using static TorchSharp.torch;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// Joins a convolution's output to its input's autograd graph and computes the input gradient itself,
/// without libtorch's convolution backward-data kernel (see <see cref="FnetConvolution"/> for why):
/// for kernel 3, stride 1, padding 1 it is the forward convolution of the output gradient with the
/// weights flipped in space and transposed in channels; for kernel 2, stride 2 each input voxel takes
/// exactly one tap, so it is one matrix product of the output gradient with the weights.
/// </summary>
internal sealed class ConvolutionInputGradient : autograd.SingleTensorFunction<ConvolutionInputGradient>
{
    private const string InputShape = "input shape";

    // TorchSharp wraps the gradients passed into and out of backward in managed tensors that join the caller's
    // dispose scope: left there, every convolution's gradients would live until the whole training step ends.
    // Once backward has returned, autograd holds its own references, so each call releases the wrappers of
    // the call before it (autograd runs a CPU backward on the thread that called it).
    [ThreadStatic]
    private static List<Tensor>? _releasedNextCall;

    public override string Name => nameof(ConvolutionInputGradient);

    /// <summary>
    /// <paramref name="output"/> unchanged, now also differentiable with respect to <paramref name="input"/>.
    /// The output must have been computed from <paramref name="input"/> detached, so that libtorch's own
    /// backward differentiates it with respect to the weight and bias only.
    /// </summary>
    public static Tensor Attach(Tensor output, Tensor input, Tensor weight)
    {
        using var frozenWeight = weight.detach();
        return apply(output, input, frozenWeight);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        ctx.save_for_backward([(Tensor)vars[2]]);
        ctx.save_data(InputShape, ((Tensor)vars[1]).shape);

        // A view made inside a custom function: an in-place operation on it would be refused by autograd,
        // and fnet applies none to a convolution's output (batch norm comes first).
        return ((Tensor)vars[0]).alias();
    }

    /// <returns>Gradients for (output, input, weight): the output's passes through to libtorch's backward; the weight's is not needed here.</returns>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        ReleaseEarlierWrappers();
        using var weight = ctx.get_saved_variables()[0];
        var kernel = weight.shape[^1];
        var inputGradient = kernel switch
        {
            3 => SizeKeeping(grad_output, weight),
            2 => Halving(grad_output, weight),
            _ => throw new NotSupportedException($"fnet convolutions have kernel 3 (stride 1) or 2 (stride 2), not {kernel}."),
        };

        // Kernel 2, stride 2 gives back an input of even size only; fnet's inputs are multiples of 2^depth.
        var expected = (long[])ctx.get_data(InputShape);
        if (!inputGradient.shape.SequenceEqual(expected))
        {
            throw new InvalidOperationException(
                $"The input gradient has shape {string.Join("x", inputGradient.shape)}, the input {string.Join("x", expected)}: a stride-2 convolution of an odd size.");
        }

        var outputGradient = grad_output.alias();
        (_releasedNextCall ??= []).AddRange([grad_output, outputGradient, inputGradient]);
        return [outputGradient, inputGradient, null!];
    }

    private static void ReleaseEarlierWrappers()
    {
        if (_releasedNextCall is not { Count: > 0 } earlier)
        {
            return;
        }

        foreach (var wrapper in earlier)
        {
            wrapper.Dispose();
        }

        earlier.Clear();
    }

    private static Tensor SizeKeeping(Tensor gradient, Tensor weight)
    {
        var dimensions = (int)weight.dim() - 2;
        var spatial = Enumerable.Range(2, dimensions).Select(axis => (long)axis).ToArray();
        using var flipped = weight.flip(spatial);
        using var transposed = flipped.transpose(0, 1);
        var padding = Enumerable.Repeat(1L, dimensions).ToArray();
        return dimensions == 3
            ? nn.functional.conv3d(gradient, transposed, padding: padding)
            : nn.functional.conv2d(gradient, transposed, padding: padding);
    }

    private static Tensor Halving(Tensor gradient, Tensor weight)
    {
        var n = gradient.shape[0];
        var channels = weight.shape[1];
        if (weight.dim() == 5)
        {
            using var taps = einsum("nozyx,ocabd->nczaybxd", gradient, weight);
            return taps.reshape(n, channels, 2 * gradient.shape[2], 2 * gradient.shape[3], 2 * gradient.shape[4]);
        }

        using var planeTaps = einsum("noyx,ocab->ncyaxb", gradient, weight);
        return planeTaps.reshape(n, channels, 2 * gradient.shape[2], 2 * gradient.shape[3]);
    }
}
