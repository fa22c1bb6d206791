using System.Text;
using AffectMae.Models.Pipeline;

namespace AffectMae.Models.Tests.Pipeline;

/// <summary>
/// Seeded fuzzing of the two JSON files we own: a recipe (<see cref="AffectMaeRecipe.Load"/>) and a bundle's manifest
/// (<see cref="ModelManifest.Read"/>). Every mutation must load as a valid recipe or manifest, or fail with an
/// <see cref="InvalidDataException"/> naming the file; any other exception or a hang fails with the bytes to replay it.
/// </summary>
[Collection(GlobalRngCollection.Name)]
public sealed class SettingsFileFuzzTests : IDisposable
{
    private const int Cases = 1500;
    private static readonly byte[] Interesting = [.. "{}[]:,\"0123456789.-eE truefalsnul"u8, 0x00, 0x1B, 0xC3, 0xFF];
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-settings-fuzz-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Mutated_recipes_load_valid_or_fail_naming_the_file()
    {
        string path = Path.Combine(folder, "recipe.json");
        byte[][] seeds = [.. new[] { AffectMaeRecipe.Demo, AffectMaeRecipe.Paper, AffectMaeRecipe.Authors }.Select(Saved),
            Encoding.UTF8.GetBytes("""{"Preset": "paper", "Seed": 3, "Segmentation": {"Stride": 150}}""")];
        Fuzz.Run(seeds, Interesting, 51, Cases, path, _ => Outcome(path, () =>
        {
            var recipe = AffectMaeRecipe.Load(path);
            var check = new AffectMaeRecipeValidator().Validate(null, recipe);   // a recipe that loads is a valid one
            if (check.Failed) throw new InvalidOperationException($"loaded an invalid recipe: {check.FailureMessage}");
        }));
    }

    [Fact]
    public void Mutated_manifests_read_or_fail_naming_the_file()
    {
        var (encoderFolder, temporalFolder) = TinyModels.SaveBundles(folder);
        string path = Path.Combine(encoderFolder, ModelManifest.FileName);
        byte[][] seeds = [File.ReadAllBytes(path), File.ReadAllBytes(Path.Combine(temporalFolder, ModelManifest.FileName))];
        // The temporal manifest's mutations are read beside the encoder's weights: a hash that does not match is one
        // of the outcomes, and any other fault must still be named first.
        Fuzz.Run(seeds, Interesting, 52, Cases, path, _ => Outcome(path, () => ModelManifest.Read(encoderFolder)));
    }

    private byte[] Saved(AffectMaeRecipe recipe)
    {
        string file = Path.Combine(folder, $"{recipe.Name}.json");
        recipe.Save(file);
        return File.ReadAllBytes(file);
    }

    private static FuzzOutcome Outcome(string path, Action read)
    {
        try
        {
            read();
            return new(true, null);
        }
        catch (InvalidDataException e)
        {
            return new(false, e.Message.Contains(path, StringComparison.Ordinal) ? null : $"threw without naming the file: {e.Message}");
        }
        catch (Exception e)
        {
            return new(false, $"threw {e}");
        }
    }
}
