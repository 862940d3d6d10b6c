namespace LabelFree.Simulation;

/// <summary>Where <see cref="SimulatedDataset"/> put things.</summary>
/// <param name="PairsCsv">pairs.csv (the first structure's pairs for light data; EM → IF for EM data).</param>
/// <param name="PairsCsvByStructure">One pairs CSV per structure.</param>
/// <param name="Images">The acquisition files (fields of view, or EM images).</param>
/// <param name="ControlFolders">Per structure, the folder of control images (empty for EM data).</param>
public sealed record SimulatedDatasetFiles(
    string PairsCsv,
    IReadOnlyDictionary<string, string> PairsCsvByStructure,
    IReadOnlyList<string> Images,
    IReadOnlyDictionary<string, string> ControlFolders);
