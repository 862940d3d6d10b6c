using System.Globalization;

namespace LabelFree.Pipeline.Imaging;

/// <summary>
/// Finds a channel asked for by index or by name (e.g. the transmitted-light channel of an acquisition,
/// or a ground-truth channel), with one clear error when it does not exist.
/// </summary>
public static class ChannelChoice
{
    /// <param name="indexOrName">"2" or "bright-field"; null or blank means channel 0.</param>
    public static int Resolve(Hyperstack image, string? indexOrName, string source) =>
        string.IsNullOrWhiteSpace(indexOrName)
            ? Resolve(image, 0, null, source)
            : int.TryParse(indexOrName, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
                ? Resolve(image, index, null, source)
                : Resolve(image, null, indexOrName, source);

    /// <summary>The channel with this index, or else this name (case-insensitive); neither given means channel 0.</summary>
    /// <exception cref="ImageFileException">ChannelOutOfRange, naming the source and the channels it has.</exception>
    public static int Resolve(Hyperstack image, int? index, string? name, string source)
    {
        ArgumentNullException.ThrowIfNull(image);
        var resolved = index ?? (name is null ? 0 : image.IndexOfChannel(name));
        if (resolved < 0 || resolved >= image.Channels)
        {
            var asked = index?.ToString(CultureInfo.InvariantCulture) ?? $"'{name}'";
            throw new ImageFileException(source, ImageProblem.ChannelOutOfRange,
                $"channel {asked} does not exist; the image has {image.Channels}: {string.Join(", ", image.ChannelNames.Select((n, i) => $"{i}={n}"))}");
        }

        return resolved;
    }
}
