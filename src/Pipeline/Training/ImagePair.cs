using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// One registered (signal, target) pair of image files: e.g. a bright-field z-stack and the DNA
/// fluorescence of the same field. Channels select one channel of a multi-channel file; the voxel
/// size overrides (or supplies) what the files record.
/// </summary>
public sealed record ImagePair(
    string SignalPath,
    string TargetPath,
    int? SignalChannel = null,
    int? TargetChannel = null,
    VoxelSize? VoxelSize = null)
{
    /// <summary>A short name for logs and reports: the signal file's name.</summary>
    public string Name => Path.GetFileName(SignalPath);

    /// <summary>Reads both files and picks their channels (channel 0 when none is named; a single time point is required).</summary>
    /// <exception cref="ImageFileException">A file is unreadable, a channel does not exist, or the two differ in shape.</exception>
    public LoadedImagePair Load(ImageReadOptions? options = null)
    {
        var signal = HyperstackFile.Read(SignalPath, options);
        var target = HyperstackFile.Read(TargetPath, options);
        var signalVolume = Pick(signal, SignalChannel, SignalPath);
        var targetVolume = Pick(target, TargetChannel, TargetPath);
        if (signalVolume.Shape != targetVolume.Shape)
        {
            throw new ImageFileException(TargetPath, ImageProblem.MetadataMismatch,
                $"the target is {targetVolume.Shape} (ZYX) but its signal {Path.GetFileName(SignalPath)} is {signalVolume.Shape}; a pair must be registered voxel for voxel");
        }

        return new LoadedImagePair(Name, signalVolume, targetVolume, VoxelSize ?? signal.VoxelSize);
    }

    private static Volume Pick(Hyperstack image, int? channel, string path)
    {
        if (image.Frames != 1)
        {
            throw new ImageFileException(path, ImageProblem.UnsupportedFormat,
                $"the file has {image.Frames} time points; a training or evaluation pair holds one (split time series into one file per time point)");
        }

        var c = channel ?? 0;
        if (c >= image.Channels)
        {
            throw new ImageFileException(path, ImageProblem.ChannelOutOfRange,
                $"channel {c} was asked for but the file has {image.Channels} channel(s) ({string.Join(", ", image.ChannelNames)})");
        }

        return image[0, c];
    }
}
