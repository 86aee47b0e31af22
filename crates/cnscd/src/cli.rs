//! Command-line interface. Help texts are Vietnamese first, as the users are.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(
    name = "cnscd",
    version,
    about = "Sổ đăng ký Tổ Công nghệ số cộng đồng (Tổ CNSCĐ) — web, API và dòng lệnh.\nRegistry of Community Digital Technology Teams.",
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Cơ sở dữ liệu: sqlite://duong/dan.db (mặc định, tự tạo) hoặc postgres://… / database URL.
    #[arg(long, global = true, env = "CNSCD_DATABASE_URL", default_value = cnscd_store::DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Mã tỉnh làm việc (2 chữ số; 38 = Thanh Hóa) / working province code.
    #[arg(long, global = true, env = "CNSCD_PROVINCE", default_value = "38")]
    pub province: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Chạy ứng dụng web và API / run the web application and API.
    Serve(ServeArgs),
    /// Tạo dữ liệu mẫu cho tỉnh làm việc / fill the working province with demo data.
    Demo(DemoArgs),
    /// Xem hoặc đặt quy định số thành viên của tổ / show or set team size rules.
    Settings(SettingsArgs),
    /// Nhập danh sách tổ từ tệp Excel/ODS/CSV theo mẫu / import team lists in the template.
    Import(ImportArgs),
    /// Xuất danh sách tổ theo mẫu / export the team list in the template.
    Export(ExportArgs),
    /// In tài liệu OpenAPI của API / print the API's OpenAPI document.
    Openapi,
    /// Tài khoản người dùng: tạo, liệt kê, đặt lại mật khẩu, tạo khoá API / user accounts.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Địa chỉ lắng nghe / address to listen on.
    #[arg(long, env = "CNSCD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Phiên đăng nhập hết hạn sau bấy nhiêu phút không dùng / session idle lifetime in minutes.
    #[arg(long, env = "CNSCD_SESSION_MINUTES", default_value_t = 480)]
    pub session_minutes: i64,
    /// Cookie chỉ gửi qua HTTPS (khi chạy sau TLS) / mark cookies Secure (served over TLS).
    #[arg(long, env = "CNSCD_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Lấy địa chỉ người dùng từ X-Forwarded-For (chỉ khi chạy sau reverse proxy) / trust X-Forwarded-For.
    #[arg(long, env = "CNSCD_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Máy chủ SMTP gửi e-mail nhắc nộp báo cáo / SMTP server for reminders: smtp://host:25,
    /// smtp://host:587?tls=required, smtps://user:pass@host:465.
    #[arg(long, env = "CNSCD_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Người gửi e-mail / sender of reminders.
    #[arg(
        long,
        env = "CNSCD_SMTP_FROM",
        default_value = "Tổ CNSCĐ <cnscd@localhost>"
    )]
    pub smtp_from: String,
    /// Địa chỉ công khai của trang, in vào mã QR trên tờ dán / the site's public address, printed in posters'
    /// QR codes (`https://cnscd.example.gov.vn`); default: the address each request came to.
    #[arg(long, env = "CNSCD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Số trang công khai mỗi địa chỉ được mở trong một phút / public pages per client address and minute.
    #[arg(long, env = "CNSCD_PUBLIC_REQUESTS_PER_MINUTE", default_value_t = std::num::NonZeroU32::new(120).expect("not zero"))]
    pub public_requests_per_minute: std::num::NonZeroU32,
    /// Số kết nối mở cùng lúc tối đa (thêm thì chờ) / most connections open at once (more wait).
    #[arg(long, env = "CNSCD_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Giây chờ tối đa để nhận xong phần đầu một yêu cầu / seconds allowed to send a request's headers.
    #[arg(long, env = "CNSCD_HEADER_TIMEOUT", default_value_t = 15)]
    pub header_timeout: u64,
    /// Giây tối đa cho cả một yêu cầu, kể cả tải tệp lên / seconds allowed for a whole request.
    #[arg(long, env = "CNSCD_REQUEST_TIMEOUT", default_value_t = 180)]
    pub request_timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Tạo tài khoản (in mật khẩu ban đầu nếu không đặt) / create an account.
    Add(UserAddArgs),
    /// Liệt kê tài khoản của tỉnh làm việc / list the working province's accounts.
    List,
    /// Đặt lại mật khẩu (in mật khẩu mới) / reset a password and print the new one.
    Password { username: String },
    /// Tạo khoá API cho tài khoản và in ra một lần / create a personal API token and print it once.
    Token {
        username: String,
        /// Tên khoá / what the token is for.
        #[arg(long, default_value = "dòng lệnh")]
        name: String,
    },
    /// Tạo tài khoản cán bộ cho mọi xã/phường chưa có, hoặc theo tệp danh sách; in tên và mật khẩu ban đầu
    /// một lần / officer accounts for every commune without one, or from a list file; prints first passwords once.
    Onboard(UserOnboardArgs),
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct UserOnboardArgs {
    /// Mỗi xã/phường chưa có cán bộ một tài khoản / one account for each commune that has no officer.
    #[arg(long)]
    pub every_commune: bool,
    /// Tệp danh sách (.xlsx, .xls, .ods, .csv): họ và tên, xã/phường, số điện thoại, tên đăng nhập (tuỳ chọn).
    #[arg(long)]
    pub file: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Tên đăng nhập / username.
    pub username: String,
    /// province_admin, commune_officer hoặc viewer.
    #[arg(long)]
    pub role: String,
    /// Mã xã/phường (bắt buộc với commune_officer) / commune code for a commune officer.
    #[arg(long)]
    pub commune: Option<String>,
    /// Họ và tên / full name.
    #[arg(long, default_value = "Quản trị hệ thống")]
    pub full_name: String,
    /// E-mail nhận nhắc nộp báo cáo (không bắt buộc) / e-mail address for reminders (optional).
    #[arg(long)]
    pub email: Option<String>,
    /// Mật khẩu (nên đặt qua biến môi trường); bỏ trống để tạo ngẫu nhiên / password, random if absent.
    #[arg(long, env = "CNSCD_NEW_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Hạt giống ngẫu nhiên: cùng hạt giống cho cùng dữ liệu / seed: the same seed gives the same data.
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// Tạo cho cả 34 tỉnh (quy mô toàn quốc, để đo hiệu năng) / every province (national scale, benchmarks).
    #[arg(long)]
    pub all_provinces: bool,
    /// Số tổ trung bình mỗi xã/phường / average number of teams per commune.
    #[arg(long, default_value_t = 25)]
    pub teams_per_commune: u32,
    /// Không tạo các lỗi dữ liệu mẫu (tổ thiếu tổ trưởng…), để đo hiệu năng nhập/xuất / no deliberate data problems.
    #[arg(long)]
    pub clean: bool,
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Số thành viên tối thiểu của một tổ / minimum members per team.
    #[arg(long)]
    pub min_members: Option<i64>,
    /// Số thành viên tối đa của một tổ / maximum members per team.
    #[arg(long)]
    pub max_members: Option<i64>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Tệp .xlsx, .xls, .ods hoặc .csv / files to import.
    #[arg(required = true)]
    pub files: Vec<std::path::PathBuf>,
    /// Chỉ kiểm tra và cho biết sẽ thay đổi gì, không ghi / check and report, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// In kết quả dạng JSON / print the result as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// replace: mỗi xã/phường trong tệp thay cả danh sách của mình; add-update: chỉ thêm và cập nhật /
    /// replace each commune's list, or only add and update.
    #[arg(long, value_enum, default_value = "replace")]
    pub mode: ImportModeArg,
    /// Đồng ý bỏ hơn một phần năm số tổ hoặc thành viên của một xã/phường / allow removing more than a fifth
    /// of a commune.
    #[arg(long)]
    pub allow_removals: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportModeArg {
    Replace,
    AddUpdate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Xlsx,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Mã xã/phường (5 chữ số); bỏ trống để xuất cả tỉnh / commune codes; none for the whole province.
    #[arg(long = "commune")]
    pub communes: Vec<String>,
    /// Định dạng; mặc định theo đuôi tệp --out, không có thì xlsx / format; by default the --out file's extension,
    /// else xlsx.
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Tệp ghi ra; mặc định: in ra màn hình (csv, json) hoặc danh-sach-to-cnscd.xlsx / output file.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
    /// Ghi sự đồng ý công khai số điện thoại vào cột Ghi chú / mark consents to public contact in `Ghi chú`.
    #[arg(long)]
    pub consent_in_notes: bool,
    /// Xuất mọi tỉnh của bản cài đặt vào một tệp (xlsx: mỗi tỉnh một trang) / every province in one file.
    #[arg(long, conflicts_with_all = ["communes", "consent_in_notes"])]
    pub all_provinces: bool,
}

impl ExportArgs {
    /// The format asked for, or the one the output file's name says (`ds.csv`), or xlsx.
    pub fn format(&self) -> ExportFormat {
        let by_extension = self
            .out
            .as_ref()
            .and_then(|path| path.extension())
            .and_then(|extension| extension.to_str())
            .and_then(|extension| {
                <ExportFormat as clap::ValueEnum>::from_str(extension, true).ok()
            });
        self.format.or(by_extension).unwrap_or(ExportFormat::Xlsx)
    }
}
