using System.Text.Json;
using LabelFree.Messages;

namespace LabelFree.Worker.Storage;

/// <summary>
/// The JSON of the documents the worker and the CLI keep in storage beside the images (rejection records, leases,
/// submission markers): the wire format of the contracts, indented because people read these files.
/// </summary>
public static class RecordJson
{
    public static JsonSerializerOptions Options { get; } = new(MessageJson.Options) { WriteIndented = true };
}
