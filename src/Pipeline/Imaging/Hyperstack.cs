namespace LabelFree.Pipeline.Imaging;

/// <summary>
/// A microscope image with axes T, C, Z, Y, X in float32: one <see cref="Volume"/> per time point and
/// channel, the physical voxel size when the file recorded it, and a name per channel.
/// </summary>
public sealed class Hyperstack
{
    private readonly Volume[] _volumes;

    public Hyperstack(int frames, int channels, VolumeShape shape, VoxelSize? voxelSize = null,
        IReadOnlyList<string>? channelNames = null, double? frameIntervalSeconds = null)
        : this(frames, channels, CreateVolumes(frames, channels, shape), voxelSize, channelNames, frameIntervalSeconds)
    {
    }

    /// <param name="volumes">Volumes in T-major order: index = t * channels + c.</param>
    public Hyperstack(int frames, int channels, IReadOnlyList<Volume> volumes, VoxelSize? voxelSize = null,
        IReadOnlyList<string>? channelNames = null, double? frameIntervalSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        if (frames <= 0 || channels <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frames), $"Frames and channels must be positive, got T={frames} C={channels}.");
        }

        if (volumes.Count != frames * channels)
        {
            throw new ArgumentException($"Expected {frames * channels} volumes for T={frames} C={channels}, got {volumes.Count}.", nameof(volumes));
        }

        var shape = volumes[0].Shape;
        if (volumes.Any(v => v.Shape != shape))
        {
            throw new ArgumentException("All volumes of a hyperstack must share one shape.", nameof(volumes));
        }

        if (voxelSize is { IsValid: false } bad)
        {
            throw new ArgumentOutOfRangeException(nameof(voxelSize), $"Voxel size must be finite and positive, got {bad}.");
        }

        channelNames ??= Enumerable.Range(0, channels).Select(c => $"C{c}").ToArray();
        if (channelNames.Count != channels)
        {
            throw new ArgumentException($"Expected {channels} channel names, got {channelNames.Count}.", nameof(channelNames));
        }

        _volumes = volumes.ToArray();
        Shape = new HyperstackShape(frames, channels, shape.Z, shape.Y, shape.X);
        VoxelSize = voxelSize;
        ChannelNames = channelNames.ToArray();
        FrameIntervalSeconds = frameIntervalSeconds;
    }

    public HyperstackShape Shape { get; }

    /// <summary>Physical voxel size in µm, or null when the file did not record one.</summary>
    public VoxelSize? VoxelSize { get; }

    public IReadOnlyList<string> ChannelNames { get; }

    /// <summary>Time between frames in seconds, when known.</summary>
    public double? FrameIntervalSeconds { get; }

    public int Frames => Shape.T;

    public int Channels => Shape.C;

    public Volume this[int t, int c]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(t);
            ArgumentOutOfRangeException.ThrowIfNegative(c);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(t, Shape.T);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(c, Shape.C);
            return _volumes[t * Shape.C + c];
        }
    }

    /// <summary>A single-volume hyperstack (T = 1, C = 1).</summary>
    public static Hyperstack FromVolume(Volume volume, VoxelSize? voxelSize = null, string channelName = "C0") =>
        new(1, 1, [volume], voxelSize, [channelName]);

    /// <summary>Index of the channel with this name (case-insensitive), or -1.</summary>
    public int IndexOfChannel(string name)
    {
        for (var c = 0; c < ChannelNames.Count; c++)
        {
            if (string.Equals(ChannelNames[c], name, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        return -1;
    }

    /// <summary>A hyperstack holding only channel <paramref name="channel"/> of every time point (volumes shared, not copied).</summary>
    public Hyperstack SelectChannel(int channel)
    {
        var volumes = Enumerable.Range(0, Frames).Select(t => this[t, channel]).ToArray();
        return new Hyperstack(Frames, 1, volumes, VoxelSize, [ChannelNames[channel]], FrameIntervalSeconds);
    }

    /// <summary>The same volumes (shared, not copied) with another voxel size, e.g. a user's override of what the file recorded.</summary>
    public Hyperstack WithVoxelSize(VoxelSize voxelSize) =>
        new(Frames, Channels, _volumes, voxelSize, ChannelNames, FrameIntervalSeconds);

    private static Volume[] CreateVolumes(int frames, int channels, VolumeShape shape) =>
        Enumerable.Range(0, Math.Max(0, frames * channels)).Select(_ => new Volume(shape)).ToArray();
}
