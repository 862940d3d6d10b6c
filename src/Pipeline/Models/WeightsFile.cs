namespace LabelFree.Pipeline.Models;

/// <summary>Where a bundle's weights are and how to check them.</summary>
/// <param name="File">File name inside the bundle folder.</param>
/// <param name="Format">"pytorch_state_dict": torch.save zip of the state dict, loadable by torch.load and by LabelFree.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file.</param>
public sealed record WeightsFile(string File, string Format, string Sha256);
