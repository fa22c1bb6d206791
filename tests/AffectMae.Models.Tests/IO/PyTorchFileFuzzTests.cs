using System.Collections;
using System.IO.Compression;
using System.Text;
using AffectMae.Models.IO;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.IO;

/// <summary>
/// Seeded fuzzing of <see cref="PyTorchFile.Load"/> on two small torch.save files (make_authors_fixtures.py §3), at two
/// levels: the file's bytes (zip structure, CRCs, pickle and tensor data all in reach), and the pickle alone, packed
/// into a sound zip again so that the unpickler, not the zip reader, meets the damage. Every outcome must be a load or
/// an <see cref="InvalidDataException"/> / <see cref="UnsafePickleException"/> whose message begins with the file;
/// any other exception or a hang fails with the case and the bytes to replay it.
/// </summary>
public sealed class PyTorchFileFuzzTests : IDisposable
{
    private const int Cases = 2000;
    private static readonly string[] SeedFiles = ["fuzz_seed_state_dict.pt", "fuzz_seed_checkpoint.pth"];
    // Pickle opcodes and the bytes of the zip headers ('PK', lengths), where the reader gives bytes a meaning.
    private static readonly byte[] Interesting = [.. "}q(X.RtbcK)J]\u0085\u0086\u0087\u0080\u0095\u0094"u8, 0x00, 0x01, 0x02, 0x50, 0x4B, 0x03, 0x04, 0xFF, 0x7F];

    private readonly ScratchFolder scratch = new("affectmae-pth-fuzz-");

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Mutated_files_load_exactly_as_saved_or_fail_naming_the_file()
    {
        // A CRC-32 covers every entry, so a file that still loads must hold what one of the seeds holds (case 40 of
        // this seed, a bit flip in a key, loaded as 'masP_ratio' before PyTorchFile checked the CRCs).
        string[] expected = [.. SeedFiles.Select(name => Describe(PyTorchFile.Load(Fixture.File(name))))];
        string path = Path.Combine(scratch.Path, "fuzz.pth");
        Fuzz.Run([.. SeedFiles.Select(name => File.ReadAllBytes(Fixture.File(name)))], Interesting, 91, Cases, path, _ =>
            Outcome(path, loaded => expected.Contains(loaded) ? null : $"loaded something no seed holds: {loaded}"));
    }

    [Fact]
    public void Mutated_pickles_in_a_sound_zip_load_or_fail_naming_the_file()
    {
        // A changed pickle may well be another valid state dict (a renamed key, a smaller shape); what it must never do
        // is escape as another exception, hang, or build a tensor outside the bytes of its storage.
        string pickle = Path.Combine(scratch.Path, "data.pkl"), path = Path.Combine(scratch.Path, "fuzz.pth");
        foreach (var (name, randomSeed) in SeedFiles.Zip([92, 93]))
        {
            // Each seed on its own: the pickle goes back into its own zip, whose storages its references name.
            string seed = Fixture.File(name);
            Fuzz.Run([PickleOf(seed)], Interesting, randomSeed, Cases / 2, pickle, bytes =>
            {
                Repack(seed, bytes, path);
                return Outcome(path, _ => null);
            });
        }
    }

    [Fact]
    public void Mutated_pickles_of_a_released_checkpoint_load_into_the_authors_model_or_fail_naming_the_file()
    {
        // Through the loader, not only the reader: keys renamed, aliases split, shapes changed, dtypes swapped must all
        // come out as the loader's own named errors (or a load whose weights are finite and the model's shapes).
        string seed = Fixture.File("authors_tiny_va.pt");
        string pickle = Path.Combine(scratch.Path, "data.pkl"), path = Path.Combine(scratch.Path, "fuzz.pt");
        using var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(AffectMae.Core.Data.AffectTask.ValenceArousal));
        Fuzz.Run([PickleOf(seed)], Interesting, 94, Cases / 4, pickle, bytes =>
        {
            Repack(seed, bytes, path);
            try
            {
                AuthorsCheckpoint.Load(model, path);
                return new(true, null);
            }
            catch (Exception e) when (e is InvalidDataException or UnsafePickleException)
            {
                return new(false, e.Message.Contains(path, StringComparison.Ordinal) ? null : $"threw without naming the file: {e.Message}");
            }
            catch (Exception e)
            {
                return new(false, $"threw {e}");
            }
        });
    }

    private static FuzzOutcome Outcome(string path, Func<string, string?> checkLoaded)
    {
        try
        {
            var top = PyTorchFile.Load(path);
            try { return new(true, checkLoaded(Describe(top))); }
            finally { foreach (var tensor in Tensors(top)) tensor.Dispose(); }
        }
        catch (Exception e) when (e is InvalidDataException or UnsafePickleException)
        {
            return new(false, e.Message.StartsWith($"{path}: ", StringComparison.Ordinal) ? null : $"threw without naming the file first: {e.Message}");
        }
        catch (Exception e)
        {
            return new(false, $"threw {e}");
        }
    }

    // Everything a load gave, tensors by dtype, shape and bytes, in key order: equal strings, equal contents.
    private static string Describe(object? value) => value switch
    {
        Tensor t => $"{t.dtype}{string.Join('x', t.shape)}:{Convert.ToHexString(t.contiguous().bytes)}",
        IDictionary d => "{" + string.Join(",", d.Keys.Cast<object>().Select(k => k.ToString()!).Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Describe(d[d.Keys.Cast<object>().First(x => x.ToString() == k)])}")) + "}",
        IEnumerable<KeyValuePair<string, object>> fields => "{" + string.Join(",", fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={Describe(f.Value)}")) + "}",
        string s => $"'{s}'",
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Describe)) + "]",
        null => "None",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    private static IEnumerable<Tensor> Tensors(object? value) => value switch
    {
        Tensor t => [t],
        IDictionary d => d.Values.Cast<object?>().SelectMany(Tensors),
        string => [],
        IEnumerable items => items.Cast<object?>().SelectMany(Tensors),
        _ => [],
    };

    private static byte[] PickleOf(string file)
    {
        using var zip = ZipFile.OpenRead(file);
        using var data = zip.Entries.Single(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).Open();
        using var copy = new MemoryStream();
        data.CopyTo(copy);
        return copy.ToArray();
    }

    // The seed's zip with its data.pkl replaced, stored uncompressed as torch.save stores it.
    private static void Repack(string seed, byte[] pickle, string path)
    {
        using var source = ZipFile.OpenRead(seed);
        using var file = File.Create(path);
        using var target = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var entry in source.Entries)
        {
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression);
            using var to = copy.Open();
            if (entry.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)) to.Write(pickle);
            else
            {
                using var from = entry.Open();
                from.CopyTo(to);
            }
        }
    }
}
