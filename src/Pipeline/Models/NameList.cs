namespace LabelFree.Pipeline.Models;

/// <summary>Formats the offending keys of an error message: all of them up to a point, then a count.</summary>
internal static class NameList
{
    private const int Shown = 12;

    public static string Of(IReadOnlyCollection<string> names) =>
        names.Count <= Shown
            ? string.Join(", ", names)
            : $"{string.Join(", ", names.Take(Shown))} and {names.Count - Shown} more";
}
