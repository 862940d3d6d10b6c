using System.Globalization;

namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>
/// The key=value lines ImageJ writes into the first page's ImageDescription ("ImageJ=1.53t\nimages=60\nchannels=2
/// \nslices=10\nframes=3\nspacing=0.29\nunit=micron\nfinterval=5"). Absent counts are null.
/// </summary>
internal sealed record ImageJMetadata(
    long? Images, long? Channels, long? Slices, long? Frames, double? Spacing, string? Unit, double? FrameInterval, string? TimeUnit)
{
    public static ImageJMetadata? TryParse(string? description)
    {
        if (description is null || !description.StartsWith("ImageJ=", StringComparison.Ordinal))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in description.Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values.TryAdd(line[..equals].Trim(), line[(equals + 1)..].Trim());
            }
        }

        return new ImageJMetadata(
            Integer(values, "images"), Integer(values, "channels"), Integer(values, "slices"), Integer(values, "frames"),
            Number(values, "spacing"), Text(values, "unit"), Number(values, "finterval"), Text(values, "tunit"));
    }

    private static string? Text(Dictionary<string, string> values, string key) => values.GetValueOrDefault(key);

    // ImageJ writes counts as integers; anything unparsable counts as a corrupt description, reported as -1.
    private static long? Integer(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text)
            ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : -1
            : null;

    private static double? Number(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
