using System.Runtime.InteropServices;
using AffectMae.Build;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Build;

/// <summary>
/// TorchSharp 0.107.0's native library needs GLIBCXX_3.4.32, newer than Debian 12's libstdc++; the build marks that need
/// weak in the copied library (buildTransitive/AffectMae.Models.targets). These tests prove the result.
/// </summary>
public class TorchSharpLoadsTests
{
    private const string NativeLibrary = "libLibTorchSharp.so";
    private static readonly string[] Glibcxx3432 = ["GLIBCXX_3.4.32"];

    [Fact]
    public void A_matrix_product_runs_in_libtorch()
    {
        // [[1, 2], [3, 4]] · [[5], [6]] = [[1·5 + 2·6], [3·5 + 4·6]] = [[17], [39]]
        using var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var b = tensor(new float[] { 5, 6 }).reshape(2, 1);
        using var product = a.matmul(b);

        product.data<float>().ToArray().Should().Equal(17f, 39f);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(20)]
    [InlineData(40)]
    public void Float32_convolutions_agree_with_float64(int channels)
    {
        // A canary for a oneDNN bug in TorchSharp 0.107's libtorch: on an AMD Zen 5 its AVX-512 kernels got these
        // convolutions wrong by ~10 for batches of 2 or more. tests/test.runsettings caps oneDNN at AVX2 (DNNL_MAX_CPU_ISA);
        // if this fails, that variable is missing on an affected machine and every conv-based parity test will fail too.
        using var scope = NewDisposeScope();
        manual_seed(1);
        var x = randn(2, channels, 12);
        var w = randn(channels, channels, 5);

        var single = nn.functional.conv1d(x, w, padding: 4).to(float64);
        var exact = nn.functional.conv1d(x.to(float64), w.to(float64), padding: 4);

        (single - exact).abs().max().item<double>().Should().BeLessThan(1e-4, $"DNNL_MAX_CPU_ISA is '{Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA")}'");
    }

    [Fact]
    public void Every_copy_of_the_native_library_in_the_test_output_needs_GLIBCXX_3_4_32_only_weakly()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64) return;   // the patch is Linux x64 only

        var copies = Directory.GetFiles(AppContext.BaseDirectory, NativeLibrary, SearchOption.AllDirectories);

        copies.Should().NotBeEmpty("TorchSharp-cpu copies its native library into the output folder");
        foreach (var copy in copies)
            ElfVersionNeeds.Read(File.ReadAllBytes(copy), copy)
                .Where(r => r.Version == "GLIBCXX_3.4.32")
                .Should().ContainSingle().Which.IsWeak.Should().BeTrue(copy);
    }

    [Fact]
    public void Marking_weak_changes_one_flag_byte_and_a_second_run_changes_nothing()
    {
        string stock = StockLibraryInNuGetCache();
        string copy = Path.Combine(Path.GetTempPath(), $"affectmae-{Guid.NewGuid():N}.so");
        File.Copy(stock, copy);
        try
        {
            var before = File.ReadAllBytes(copy);
            var stockNeed = ElfVersionNeeds.Read(before, copy).Single(r => r.Version == "GLIBCXX_3.4.32");
            stockNeed.IsWeak.Should().BeFalse("the NuGet cache must keep the stock library");
            stockNeed.Library.Should().Be("libstdc++.so.6");

            ElfVersionNeeds.MarkWeak(copy, Glibcxx3432).Should().Equal("GLIBCXX_3.4.32");
            var after = File.ReadAllBytes(copy);
            ElfVersionNeeds.MarkWeak(copy, Glibcxx3432).Should().BeEmpty();

            // vna_flags goes from 0 (or whatever it held) to that | VER_FLG_WEAK (0x2): exactly one byte differs.
            var differing = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
            differing.Should().Equal((int)stockNeed.FlagsOffset);
            after[stockNeed.FlagsOffset].Should().Be((byte)(before[stockNeed.FlagsOffset] | 0x2));
            File.ReadAllBytes(copy).Should().Equal(after);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_rejected_naming_the_file()
    {
        var read = () => ElfVersionNeeds.Read(new byte[100], "notes.txt");

        read.Should().Throw<InvalidDataException>().WithMessage("notes.txt: not an ELF file.");
    }

    [Fact]
    public void A_truncated_ELF_file_is_rejected_naming_the_file()
    {
        var elf = File.ReadAllBytes(StockLibraryInNuGetCache()).AsSpan(0, 4096).ToArray();

        var read = () => ElfVersionNeeds.Read(elf, "cut.so");

        read.Should().Throw<InvalidDataException>().WithMessage("cut.so: ELF table entry at offset * lies outside the file.");
    }

    private static string StockLibraryInNuGetCache()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string stock = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", NativeLibrary);
        File.Exists(stock).Should().BeTrue($"restore puts TorchSharp's native library at {stock}");
        return stock;
    }
}
