using System.Globalization;

namespace LabelFree.Pipeline.Training;

/// <summary>
/// losses.csv in a run folder: <c>iteration,train_loss,validation_loss,validation_r</c>, one row per iteration
/// (validation only at checkpoints). Files written before validation_r existed still read. Rows are appended at each checkpoint; on resume, rows after the
/// checkpoint's iteration are dropped so the curve continues without duplicates.
/// </summary>
public sealed class LossLog
{
    public const string FileName = "losses.csv";
    private const string Header = "iteration,train_loss,validation_loss,validation_r";

    private readonly string _path;
    private readonly List<LossRecord> _pending = [];

    public LossLog(string runDirectory) => _path = Path.Combine(runDirectory, FileName);

    public void Add(LossRecord record) => _pending.Add(record);

    /// <summary>Writes the pending rows (call at checkpoints so the file matches the checkpoint).</summary>
    public void Flush()
    {
        var exists = File.Exists(_path);
        using var writer = new StreamWriter(_path, append: true);
        if (!exists)
        {
            writer.WriteLine(Header);
        }

        foreach (var record in _pending)
        {
            writer.WriteLine(FormattableString.Invariant($"{record.Iteration},{record.TrainLoss:R},{Cell(record.ValidationLoss)},{Cell(record.ValidationR)}"));
        }

        _pending.Clear();
    }

    /// <summary>Keeps only rows up to <paramref name="iteration"/> (used when resuming from a checkpoint).</summary>
    public void TruncateAfter(int iteration)
    {
        _pending.Clear();
        if (!File.Exists(_path))
        {
            return;
        }

        var kept = Read(_path).Where(r => r.Iteration <= iteration).ToList();
        File.Delete(_path);
        _pending.AddRange(kept);
        Flush();
    }

    public static IReadOnlyList<LossRecord> Read(string path)
    {
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var cells = line.Split(',');
            return new LossRecord(
                int.Parse(cells[0], CultureInfo.InvariantCulture),
                double.Parse(cells[1], CultureInfo.InvariantCulture),
                Optional(cells, 2),
                Optional(cells, 3));
        }).ToList();
    }

    private static string Cell(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    private static double? Optional(string[] cells, int column) =>
        cells.Length > column && cells[column].Length > 0 ? double.Parse(cells[column], CultureInfo.InvariantCulture) : null;
}
