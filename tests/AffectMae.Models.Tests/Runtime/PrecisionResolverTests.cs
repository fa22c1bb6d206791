using AffectMae.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Runtime;

public class PrecisionResolverTests
{
    // Trimmed from /proc/cpuinfo of the two machine types seen here (flags shortened to the ones that matter).
    private const string ZenFiveCpuInfo = """
        processor	: 0
        vendor_id	: AuthenticAMD
        model name	: AMD EPYC
        flags		: fpu sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16 avx512_vnni
        processor	: 1
        model name	: AMD EPYC
        flags		: fpu sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16 avx512_vnni
        """;

    private const string XeonWithoutBf16CpuInfo = """
        processor	: 0
        model name	: Intel(R) Xeon(R) Processor
        flags		: fpu sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512_vnni
        """;

    private const string SapphireRapidsCpuInfo = """
        processor	: 0
        model name	: Intel(R) Xeon(R) Platinum 8480+
        flags		: fpu avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8
        """;

    private static readonly Device Cuda0 = new(DeviceType.CUDA, 0);

    [Fact]
    public void Auto_picks_bfloat16_on_a_CPU_with_avx512_bf16_and_says_why()
    {
        var choice = PrecisionResolver.Resolve(InferencePrecision.Auto, CPU, BFloat16Support.FromCpuInfo(ZenFiveCpuInfo));

        choice.Precision.Should().Be(InferencePrecision.BFloat16);
        choice.ScalarType.Should().Be(ScalarType.BFloat16);
        choice.Reason.Should().Be("the CPU (AMD EPYC) has avx512_bf16");
        choice.ToString().Should().Be("bfloat16 (auto: the CPU (AMD EPYC) has avx512_bf16)");
    }

    [Fact]
    public void Auto_keeps_float32_on_an_AVX512_CPU_without_bfloat16_instructions()
    {
        var choice = PrecisionResolver.Resolve(InferencePrecision.Auto, CPU, BFloat16Support.FromCpuInfo(XeonWithoutBf16CpuInfo));

        choice.Precision.Should().Be(InferencePrecision.Float32);
        choice.Reason.Should().Be("the CPU (Intel(R) Xeon(R) Processor) has neither avx512_bf16 nor amx_bf16");
    }

    [Fact]
    public void Amx_counts_as_fast_bfloat16()
    {
        var support = BFloat16Support.FromCpuInfo(SapphireRapidsCpuInfo);

        support.Should().Be(new BFloat16Support(true, "the CPU (Intel(R) Xeon(R) Platinum 8480+) has avx512_bf16 and amx_bf16"));
    }

    [Fact]
    public void Cpuinfo_without_flags_is_reported_as_not_fast()
    {
        BFloat16Support.FromCpuInfo("processor : 0\n").IsFast.Should().BeFalse();
    }

    [Fact]
    public void Bfloat16_asked_for_on_a_CPU_without_it_is_used_but_the_reason_warns()
    {
        var choice = PrecisionResolver.Resolve(InferencePrecision.BFloat16, CPU, BFloat16Support.FromCpuInfo(XeonWithoutBf16CpuInfo));

        choice.Precision.Should().Be(InferencePrecision.BFloat16);
        choice.Reason.Should().Contain("expect it to be slower than float32");
    }

    [Fact]
    public void Float16_on_the_CPU_is_refused_with_the_alternatives()
    {
        var resolve = () => PrecisionResolver.Resolve(InferencePrecision.Float16, CPU);

        resolve.Should().Throw<ArgumentException>().WithMessage("float16 inference runs on CUDA devices only*use BFloat16*Float32*Auto*");
    }

    [Fact]
    public void Float16_on_a_CUDA_device_is_accepted_without_probing()
    {
        PrecisionResolver.Resolve(InferencePrecision.Float16, Cuda0, support: null).ScalarType.Should().Be(ScalarType.Float16);
    }

    [Fact]
    public void Auto_on_CUDA_follows_the_compute_capability()
    {
        PrecisionResolver.Resolve(InferencePrecision.Auto, Cuda0, BFloat16Support.FromCudaCapability(8, 6)).Precision.Should().Be(InferencePrecision.BFloat16);
        var turing = PrecisionResolver.Resolve(InferencePrecision.Auto, Cuda0, BFloat16Support.FromCudaCapability(7, 5));
        turing.Precision.Should().Be(InferencePrecision.Float32);
        turing.Reason.Should().Be("the GPU has compute capability 7.5; bfloat16 tensor cores need 8.0 or later");
    }

    [Fact]
    public void Float32_is_never_changed()
    {
        var choice = PrecisionResolver.Resolve(InferencePrecision.Float32, CPU);

        choice.Should().Be(new PrecisionChoice(InferencePrecision.Float32, InferencePrecision.Float32, "requested"));
        choice.IsReduced.Should().BeFalse();
    }

    [Fact]
    public void This_machines_cpu_is_probed_from_its_flags()
    {
        var support = BFloat16Support.Probe(CPU);

        if (OperatingSystem.IsLinux())
        {
            var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ');
            support.IsFast.Should().Be(flags.Contains("avx512_bf16") || flags.Contains("amx_bf16"), support.Evidence);
        }
        support.Evidence.Should().StartWith("the CPU");
    }

    [Theory]
    [InlineData("float32", InferencePrecision.Float32)]
    [InlineData("BF16", null)]
    [InlineData("bfloat16", InferencePrecision.BFloat16)]
    [InlineData("BFloat16", InferencePrecision.BFloat16)]
    [InlineData(" auto ", InferencePrecision.Auto)]
    [InlineData("float16", InferencePrecision.Float16)]
    public void Precision_names_parse_as_written_in_logs_and_on_the_command_line(string text, InferencePrecision? expected)
    {
        var parse = () => PrecisionChoice.Parse(text);

        if (expected is null)
            parse.Should().Throw<FormatException>().WithMessage("'BF16' is not a precision; use float32, bfloat16, float16 (CUDA only) or auto.");
        else
            parse().Should().Be(expected.Value);
    }

    [Fact]
    public void Auto_has_no_element_type_before_it_is_resolved()
    {
        var type = () => PrecisionChoice.ScalarTypeOf(InferencePrecision.Auto);

        type.Should().Throw<ArgumentException>().WithMessage("*PrecisionResolver.Resolve*");
    }
}
