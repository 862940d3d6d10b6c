using LabelFree.Pipeline.Imaging;

namespace LabelFree.Simulation;

/// <summary>
/// A simulated transmitted-light / fluorescence pair with everything that is known about it. Every stack has
/// axes (T, 1, Z, Y, X), the same voxel size and frame interval, and values in camera counts.
/// </summary>
public sealed class SimulatedFieldOfView
{
    public SimulatedFieldOfView(
        Hyperstack transmittedLight,
        Hyperstack transmittedLightNoiseFree,
        IReadOnlyDictionary<string, Hyperstack> fluorescence,
        IReadOnlyDictionary<string, Hyperstack> controls,
        IReadOnlyDictionary<string, Hyperstack> noiseFreeTruth,
        Hyperstack refractiveIndex,
        IReadOnlyList<IReadOnlyList<SimulatedCell>> cells)
    {
        TransmittedLight = transmittedLight;
        TransmittedLightNoiseFree = transmittedLightNoiseFree;
        Fluorescence = fluorescence;
        Controls = controls;
        NoiseFreeTruth = noiseFreeTruth;
        RefractiveIndex = refractiveIndex;
        Cells = cells;
    }

    /// <summary>The bright-field z-stack as the camera recorded it (shot and read noise included).</summary>
    public Hyperstack TransmittedLight { get; }

    /// <summary>The expected bright-field counts, before noise.</summary>
    public Hyperstack TransmittedLightNoiseFree { get; }

    /// <summary>One noisy fluorescence stack per requested structure, keyed by structure name.</summary>
    public IReadOnlyDictionary<string, Hyperstack> Fluorescence { get; }

    /// <summary>
    /// Per structure, the same field imaged with the same settings but no label: background, autofluorescence
    /// and noise only. The mean of their variances is the paper's noise estimate &lt;N²&gt; for C_max.
    /// </summary>
    public IReadOnlyDictionary<string, Hyperstack> Controls { get; }

    /// <summary>Per structure, the expected counts of the fluorescence stack (its value without noise).</summary>
    public IReadOnlyDictionary<string, Hyperstack> NoiseFreeTruth { get; }

    /// <summary>The absolute refractive index of every voxel: what the bright-field stack was computed from.</summary>
    public Hyperstack RefractiveIndex { get; }

    /// <summary>
    /// The cells whose centre lies inside the image, per frame (outer index: frame), in micrometres in the
    /// image's frame. Cell ids are stable across frames.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<SimulatedCell>> Cells { get; }

    public VoxelSize VoxelSize => TransmittedLight.VoxelSize!.Value;

    public int Frames => TransmittedLight.Frames;

    public IReadOnlyList<string> Structures => Fluorescence.Keys.ToArray();
}
