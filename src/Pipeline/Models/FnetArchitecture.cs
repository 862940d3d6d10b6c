using System.Text.Json.Serialization;

namespace LabelFree.Pipeline.Models;

/// <summary>
/// The shape of one fnet U-Net: 2D or 3D convolutions, recursion depth, channels at the top level and
/// the input/output channel counts. Start from <see cref="Paper3D"/> or <see cref="Paper2D"/> and change
/// what differs (<c>Paper3D with { Depth = 2, MultChan = 4 }</c>).
/// </summary>
/// <remarks>No parameter has a default, so a model.json that omits one is refused rather than silently completed.</remarks>
public sealed record FnetArchitecture(int Dimensions, int Depth, int MultChan, int InChannels, int OutChannels)
{
    /// <summary>The paper's 3D model (fnet_nn_3d): depth 4, mult_chan 32, one channel in and out; 23,280,769 parameters.</summary>
    public static FnetArchitecture Paper3D { get; } = new(Dimensions: 3, Depth: 4, MultChan: 32, InChannels: 1, OutChannels: 1);

    /// <summary>The paper's 2D EM model (fnet_nn_2d): 8,116,225 parameters.</summary>
    public static FnetArchitecture Paper2D { get; } = Paper3D with { Dimensions = 2 };

    /// <summary>
    /// Every spatial input dimension must be a multiple of this (2^depth): each level halves the size
    /// and the skip concatenation needs the halves to double back exactly.
    /// </summary>
    [JsonIgnore]
    public int SpatialMultiple => 1 << Depth;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value outside its range.</summary>
    public void Validate()
    {
        if (Dimensions is not (2 or 3))
        {
            throw new ArgumentException($"An fnet network has 2 or 3 spatial dimensions, not {Dimensions}.");
        }

        // Depth 8 already needs every input dimension to be a multiple of 256; deeper nets are mistakes.
        if (Depth is < 0 or > 8)
        {
            throw new ArgumentException($"Depth must be between 0 and 8, not {Depth}.");
        }

        if (MultChan < 1 || InChannels < 1 || OutChannels < 1)
        {
            throw new ArgumentException(
                $"Channel counts must be positive (multChan {MultChan}, inChannels {InChannels}, outChannels {OutChannels}).");
        }
    }

    public override string ToString() =>
        $"{Dimensions}D fnet, depth {Depth}, mult_chan {MultChan}, {InChannels} -> {OutChannels} channels";
}
