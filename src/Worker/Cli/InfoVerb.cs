using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Worker.Cli;

/// <summary>`labelfree info FILE [--json]`: what an image file holds (axes, shape, type, voxel size, channels, values).</summary>
public static class InfoVerb
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A TIFF, ImageJ hyperstack or OME-TIFF file." }.AcceptExistingOnly();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("info", "Show the axes, shape, sample type, voxel size, channel names and value statistics of an image file.")
        {
            file,
            json,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(
            () => Run(parsed.GetValue(file)!, parsed.GetValue(json)), cancellation));
        return command;
    }

    private static int Run(FileInfo file, bool json)
    {
        // Report NaN/Inf rather than refusing the file: `info` is how a user finds out what is wrong with it.
        var content = HyperstackFile.ReadWithInfo(file.FullName, ImageReadOptions.Default with { RejectNonFiniteValues = false });
        var report = ImageReport.Of(content);
        Console.WriteLine(json ? JsonSerializer.Serialize(report, CliJson.Options) : report.ToText());
        return ExitCodes.Ok;
    }

    /// <summary>The printed description of one file.</summary>
    internal sealed record ImageReport(
        string File, string Format, bool BigTiff, string Compression, string SampleType, string Axes,
        IReadOnlyDictionary<string, int> Shape, double[]? VoxelSizeMicrometresZyx, bool ZSpacingRecorded,
        double? FrameIntervalSeconds, IReadOnlyList<ChannelReport> Channels)
    {
        public static ImageReport Of(HyperstackFileContent content)
        {
            var (image, info) = (content.Image, content.Info);
            var shape = image.Shape;
            var channels = Enumerable.Range(0, image.Channels)
                .Select(c => ChannelReport.Measure(image.ChannelNames[c], Enumerable.Range(0, image.Frames).Select(t => image[t, c])))
                .ToArray();
            return new ImageReport(
                info.Source, info.Flavor.ToString(), info.IsBigTiff, info.Compression.ToString(), info.SampleType.ToString().ToLowerInvariant(),
                "TCZYX",
                new Dictionary<string, int> { ["T"] = shape.T, ["C"] = shape.C, ["Z"] = shape.Z, ["Y"] = shape.Y, ["X"] = shape.X },
                image.VoxelSize is { } v ? [v.Z, v.Y, v.X] : null, info.ZSpacingRecorded, image.FrameIntervalSeconds, channels);
        }

        public string ToText()
        {
            var lines = new List<string>
            {
                $"file:        {File}",
                $"format:      {Format}{(BigTiff ? " (BigTIFF)" : string.Empty)}, {Compression}, {SampleType}",
                $"axes:        {Axes}  shape: {string.Join(" x ", Shape.Select(p => $"{p.Key}{p.Value}"))}",
                VoxelSizeMicrometresZyx is { } v
                    ? Invariant($"voxel size:  Z {v[0]:0.####} µm, Y {v[1]:0.####} µm, X {v[2]:0.####} µm{(ZSpacingRecorded ? string.Empty : " (no z-step recorded: Z assumed equal to X)")}")
                    : "voxel size:  not recorded",
            };
            if (FrameIntervalSeconds is { } dt)
            {
                lines.Add(Invariant($"frame step:  {dt:0.###} s"));
            }

            lines.Add("channels:");
            lines.AddRange(Channels.Select(c => c.ToText()));
            return string.Join(Environment.NewLine, lines);
        }
    }

    /// <summary>Value statistics of one channel over all time points, in double precision.</summary>
    internal sealed record ChannelReport(string Name, double Minimum, double Maximum, double Mean, double StandardDeviation, long NonFiniteVoxels)
    {
        public static ChannelReport Measure(string name, IEnumerable<Volume> volumes)
        {
            double sum = 0, squares = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            long count = 0, nonFinite = 0;
            var all = volumes.ToArray();
            foreach (var value in all.SelectMany(v => v.Voxels))
            {
                if (!float.IsFinite(value))
                {
                    nonFinite++;
                    continue;
                }

                sum += value;
                min = Math.Min(min, value);
                max = Math.Max(max, value);
                count++;
            }

            var mean = count > 0 ? sum / count : double.NaN;
            foreach (var value in all.SelectMany(v => v.Voxels))
            {
                if (float.IsFinite(value))
                {
                    squares += (value - mean) * (value - mean);
                }
            }

            return new ChannelReport(name, min, max, mean, count > 0 ? Math.Sqrt(squares / count) : double.NaN, nonFinite);
        }

        public string ToText() => Invariant(
            $"  {Name}: min {Minimum:G6}, max {Maximum:G6}, mean {Mean:G6}, std {StandardDeviation:G6}{(NonFiniteVoxels > 0 ? $", {NonFiniteVoxels} NaN/Inf voxels" : string.Empty)}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
