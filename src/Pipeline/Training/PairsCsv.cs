using System.Globalization;
using System.Text;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// Reads and writes the pairs CSV used for training and evaluation. Columns (header required):
/// <c>signal,target[,signal_channel,target_channel][,voxel_z_um,voxel_y_um,voxel_x_um]</c>.
/// pytorch_fnet's names (path_signal, path_target, channel_signal, channel_target) are accepted too,
/// so a reference CSV works unchanged. Relative paths are resolved against the CSV's folder.
/// </summary>
public static class PairsCsv
{
    private static readonly string[] SignalNames = ["signal", "path_signal"];
    private static readonly string[] TargetNames = ["target", "path_target"];
    private static readonly string[] SignalChannelNames = ["signal_channel", "channel_signal"];
    private static readonly string[] TargetChannelNames = ["target_channel", "channel_target"];

    public static IReadOnlyList<ImagePair> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new PairsCsvException(path, "the file does not exist");
        }

        var lines = File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
        if (lines.Length == 0)
        {
            throw new PairsCsvException(path, "the file is empty; expected a header 'signal,target,...'");
        }

        var header = SplitLine(lines[0]).Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var signal = Column(header, SignalNames);
        var target = Column(header, TargetNames);
        if (signal < 0 || target < 0)
        {
            throw new PairsCsvException(path, $"the header must name 'signal' and 'target' columns, got '{lines[0]}'");
        }

        var signalChannel = Column(header, SignalChannelNames);
        var targetChannel = Column(header, TargetChannelNames);
        var voxel = new[] { Column(header, ["voxel_z_um"]), Column(header, ["voxel_y_um"]), Column(header, ["voxel_x_um"]) };
        if (voxel.Any(c => c >= 0) && voxel.Any(c => c < 0))
        {
            throw new PairsCsvException(path, "voxel size needs all three columns voxel_z_um, voxel_y_um, voxel_x_um");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var pairs = new List<ImagePair>();
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = SplitLine(lines[i]);
            var row = i + 1;
            string Cell(int column) => column < cells.Count ? cells[column].Trim() : string.Empty;

            var signalPath = Cell(signal);
            var targetPath = Cell(target);
            if (signalPath.Length == 0 || targetPath.Length == 0)
            {
                throw new PairsCsvException(path, $"row {row} has an empty signal or target path");
            }

            pairs.Add(new ImagePair(
                Path.GetFullPath(Path.Combine(folder, signalPath)),
                Path.GetFullPath(Path.Combine(folder, targetPath)),
                OptionalInt(path, row, signalChannel >= 0 ? Cell(signalChannel) : string.Empty, "signal_channel"),
                OptionalInt(path, row, targetChannel >= 0 ? Cell(targetChannel) : string.Empty, "target_channel"),
                voxel[0] >= 0 ? ReadVoxelSize(path, row, Cell(voxel[0]), Cell(voxel[1]), Cell(voxel[2])) : null));
        }

        if (pairs.Count == 0)
        {
            throw new PairsCsvException(path, "the file lists no pairs");
        }

        return pairs;
    }

    /// <summary>Writes pairs with paths relative to the CSV's folder where possible.</summary>
    public static void Write(string path, IEnumerable<ImagePair> pairs)
    {
        var list = pairs.ToList();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var withChannels = list.Any(p => p.SignalChannel is not null || p.TargetChannel is not null);
        var withVoxels = list.Any(p => p.VoxelSize is not null);
        var text = new StringBuilder();
        text.Append("signal,target");
        if (withChannels)
        {
            text.Append(",signal_channel,target_channel");
        }

        if (withVoxels)
        {
            text.Append(",voxel_z_um,voxel_y_um,voxel_x_um");
        }

        text.Append('\n');
        foreach (var pair in list)
        {
            text.Append(Quote(Path.GetRelativePath(folder, pair.SignalPath))).Append(',')
                .Append(Quote(Path.GetRelativePath(folder, pair.TargetPath)));
            if (withChannels)
            {
                text.Append(',').Append(Invariant(pair.SignalChannel)).Append(',').Append(Invariant(pair.TargetChannel));
            }

            if (withVoxels)
            {
                var v = pair.VoxelSize;
                text.Append(',').Append(Invariant(v?.Z)).Append(',').Append(Invariant(v?.Y)).Append(',').Append(Invariant(v?.X));
            }

            text.Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static int Column(string[] header, string[] names) =>
        Array.FindIndex(header, h => names.Contains(h, StringComparer.Ordinal));

    private static int? OptionalInt(string path, int row, string cell, string column)
    {
        if (cell.Length == 0)
        {
            return null;
        }

        return int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new PairsCsvException(path, $"row {row}: {column} must be a non-negative integer, got '{cell}'");
    }

    private static VoxelSize? ReadVoxelSize(string path, int row, string z, string y, string x)
    {
        if (z.Length == 0 && y.Length == 0 && x.Length == 0)
        {
            return null;
        }

        double Parse(string cell, string axis) =>
            double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
                ? value
                : throw new PairsCsvException(path, $"row {row}: voxel_{axis}_um must be a positive number, got '{cell}'");

        return new VoxelSize(Parse(z, "z"), Parse(y, "y"), Parse(x, "x"));
    }

    private static string Invariant<T>(T? value) where T : struct, IFormattable =>
        value?.ToString(null, CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Quote(string cell) =>
        cell.Contains(',', StringComparison.Ordinal) || cell.Contains('"', StringComparison.Ordinal)
            ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : cell;

    // RFC 4180 cells: commas inside double quotes, "" for a quote.
    private static List<string> SplitLine(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
