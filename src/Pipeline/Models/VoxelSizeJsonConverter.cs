using System.Text.Json;
using System.Text.Json.Serialization;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Models;

/// <summary>Writes a voxel size as {"z": .., "y": .., "x": ..} in µm, and reads it back requiring all three.</summary>
internal sealed class VoxelSizeJsonConverter : JsonConverter<VoxelSize>
{
    public override VoxelSize Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a voxel size is an object {\"z\": µm, \"y\": µm, \"x\": µm}.");
        }

        double? z = null, y = null, x = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw new JsonException($"voxel size \"{name}\" must be a number of micrometres.");
            }

            var value = reader.GetDouble();
            switch (name)
            {
                case "z": z = value; break;
                case "y": y = value; break;
                case "x": x = value; break;
            }
        }

        return z is { } zValue && y is { } yValue && x is { } xValue
            ? new VoxelSize(zValue, yValue, xValue)
            : throw new JsonException("a voxel size needs \"z\", \"y\" and \"x\".");
    }

    public override void Write(Utf8JsonWriter writer, VoxelSize value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("z", value.Z);
        writer.WriteNumber("y", value.Y);
        writer.WriteNumber("x", value.X);
        writer.WriteEndObject();
    }
}
