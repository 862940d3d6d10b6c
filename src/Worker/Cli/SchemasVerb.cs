using System.CommandLine;
using LabelFree.Messages;

namespace LabelFree.Worker.Cli;

/// <summary>`labelfree schemas --out DIR`: writes the JSON Schema of every message contract (docs/schemas in the repository).</summary>
public static class SchemasVerb
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder to write NAME.schema.json into (created), e.g. docs/schemas.", Required = true };
        var command = new Command("schemas",
            "Write the JSON Schema (draft 2020-12) of every message contract (StackAcquired, StackPredicted, StackRejected, EmRegistered), " +
            "for clients in other languages to validate against.")
        {
            output,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() =>
        {
            foreach (var path in MessageSchemas.Write(parsed.GetValue(output)!.FullName))
            {
                Console.WriteLine($"wrote {path}");
            }

            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }
}
