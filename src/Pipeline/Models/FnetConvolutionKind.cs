namespace LabelFree.Pipeline.Models;

/// <summary>The three convolutions of the fnet U-Net.</summary>
internal enum FnetConvolutionKind
{
    /// <summary>Kernel 3, stride 1, zero padding 1.</summary>
    SizeKeeping,

    /// <summary>Kernel 2, stride 2.</summary>
    Halving,

    /// <summary>Transposed kernel 2, stride 2.</summary>
    Doubling,
}
