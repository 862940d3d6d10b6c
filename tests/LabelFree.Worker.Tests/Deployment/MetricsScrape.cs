using System.Globalization;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>One scrape of a /metrics endpoint in the Prometheus text format: its samples by series name.</summary>
public sealed class MetricsScrape
{
    private readonly IReadOnlyList<(string Name, string Labels, double Value)> _samples;

    private MetricsScrape(string text, IReadOnlyList<(string, string, double)> samples)
    {
        Text = text;
        _samples = samples;
    }

    /// <summary>The scrape as served.</summary>
    public string Text { get; }

    /// <summary>Every series name that has at least one sample (histograms show as their _bucket, _sum and _count).</summary>
    public IReadOnlySet<string> Names => _samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    public static MetricsScrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<(string, string, double)>();
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var labelsStart = line.IndexOf('{', StringComparison.Ordinal);
            var nameEnd = labelsStart >= 0 ? labelsStart : line.IndexOf(' ', StringComparison.Ordinal);
            var labelsEnd = labelsStart >= 0 ? line.LastIndexOf('}') + 1 : nameEnd;
            var labels = labelsStart >= 0 ? line[labelsStart..labelsEnd] : "";

            // "value" or "value timestamp" follows the labels.
            var value = line[labelsEnd..].Trim().Split(' ')[0];
            samples.Add((line[..nameEnd], labels, double.Parse(value, CultureInfo.InvariantCulture)));
        }

        return new MetricsScrape(text, samples);
    }

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels include every one of <paramref name="labels"/> (e.g. reason="NotATiff").</summary>
    public double Value(string name, params string[] labels)
    {
        var matching = _samples.Where(s => s.Name == name && labels.All(label => s.Labels.Contains(label, StringComparison.Ordinal))).ToList();
        Assert.True(matching.Count == 1, $"expected one sample of {name}{{{string.Join(",", labels)}}}, found {matching.Count}");
        return matching[0].Value;
    }
}
