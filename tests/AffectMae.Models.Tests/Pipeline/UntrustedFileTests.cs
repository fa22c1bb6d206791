using System.Diagnostics;
using System.Text.Json.Nodes;
using AffectMae.Models.IO;
using AffectMae.Models.Pipeline;

namespace AffectMae.Models.Tests.Pipeline;

/// <summary>
/// The files a user points the library at besides data — a recipe, a bundle's manifest, a PyTorch checkpoint — are
/// read only when they are regular files of a sane size, and what they hold is escaped when a message quotes it.
/// </summary>
[Collection(GlobalRngCollection.Name)]
public sealed class UntrustedFileTests : IDisposable
{
    private const string Escape = "\u001B[2J";   // "clear the screen", were it printed raw
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-untrusted-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<string> Readers => ["recipe", "manifest", "pth"];

    [Theory]
    [MemberData(nameof(Readers))]
    public void A_fifo_is_refused_at_once_instead_of_blocking(string reader)
    {
        string path = PathFor(reader);
        if (!TryMakeFifo(path)) return;   // no FIFOs on this platform

        var error = TimeLimit.Run(TimeSpan.FromSeconds(10), () => Read(reader));

        error.Should().BeOfType<IOException>().Which.Message.Should().Contain($"'{path}' is a FIFO (named pipe), not a regular file");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void A_link_to_dev_zero_is_refused_unread(string reader)
    {
        if (!File.Exists("/dev/zero")) return;   // not a Unix system
        string path = PathFor(reader);
        File.CreateSymbolicLink(path, "/dev/zero");

        var error = TimeLimit.Run(TimeSpan.FromSeconds(10), () => Read(reader));

        error.Should().BeOfType<IOException>().Which.Message.Should().Contain($"'{path}' (a symbolic link to '/dev/zero') is a character device");
    }

    [Fact]
    public void A_recipe_file_larger_than_any_recipe_is_refused_naming_it()
    {
        string path = PathFor("recipe");
        File.WriteAllText(path, "{\"Preset\": \"demo\", \"Seed\": 1" + new string(' ', 1 << 20) + "}");   // the cap is 1 MiB

        var load = () => AffectMaeRecipe.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage($"Recipe file '{path}' holds 1,048,60* bytes, more than the 1,048,576 such a file may have.");
    }

    [Fact]
    public void A_recipe_key_with_control_characters_is_quoted_escaped()
    {
        string path = PathFor("recipe");
        File.WriteAllText(path, new JsonObject { ["Preset"] = "demo", ["Seed" + Escape] = 1 }.ToJsonString());

        var load = () => AffectMaeRecipe.Load(path);

        load.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("'Seed\\u001B[2J' is not a recipe setting").And.NotContain("\u001B");
    }

    [Fact]
    public void A_weights_hash_with_control_characters_is_quoted_escaped()
    {
        var (encoderFolder, _) = TinyModels.SaveBundles(folder);
        string manifest = Path.Combine(encoderFolder, ModelManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        json["WeightsSha256"] = "00" + Escape;
        File.WriteAllText(manifest, json.ToJsonString());

        var read = () => ModelManifest.Read(encoderFolder);

        read.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("field WeightsSha256 is \"00\\u001B[2J\"").And.NotContain("\u001B");
    }

    private string PathFor(string reader) => reader switch
    {
        "recipe" => Path.Combine(folder, "recipe.json"),
        "manifest" => Path.Combine(Directory.CreateDirectory(Path.Combine(folder, "bundle")).FullName, ModelManifest.FileName),
        _ => Path.Combine(folder, "weights.pth"),
    };

    private void Read(string reader)
    {
        switch (reader)
        {
            case "recipe": AffectMaeRecipe.Load(PathFor(reader)); break;
            case "manifest": ModelManifest.Read(Path.GetDirectoryName(PathFor(reader))!); break;
            default: PyTorchFile.Load(PathFor(reader)); break;
        }
    }

    private static bool TryMakeFifo(string path)
    {
        if (OperatingSystem.IsWindows()) return false;
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
