//! Word lists for realistic Vietnamese demo data (made-up people and numbers).

pub const FAMILY_NAMES: &[&str] = &[
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
    "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Mai", "Trịnh", "Đinh", "Lò",
    "Hà", "Cầm",
];

pub const MIDDLE_NAMES_MALE: &[&str] = &[
    "Văn", "Văn", "Đức", "Hữu", "Minh", "Quang", "Xuân", "Thanh", "Công", "Đình", "Ngọc",
];
pub const MIDDLE_NAMES_FEMALE: &[&str] = &[
    "Thị", "Thị", "Thị", "Ngọc", "Thu", "Hồng", "Thanh", "Minh", "Phương", "Kim",
];

pub const GIVEN_NAMES_MALE: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh",
    "Kiên", "Long", "Mạnh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thắng",
    "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Việt", "Vinh",
];
pub const GIVEN_NAMES_FEMALE: &[&str] = &[
    "Anh", "Ánh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hiền", "Hoa", "Hương", "Lan",
    "Linh", "Loan", "Mai", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thủy", "Thúy",
    "Trang", "Vân", "Yến",
];

pub const VILLAGE_NAMES: &[&str] = &[
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Thượng",
    "Hạ",
    "Hòa Bình",
    "Tân Lập",
    "Quyết Thắng",
    "Đồng Tâm",
    "Thống Nhất",
    "Xuân Phú",
    "Yên Thịnh",
    "Phú Thọ",
    "Đại Đồng",
    "Minh Khai",
    "Hợp Tiến",
    "Cộng Hòa",
    "Tiến Thành",
    "Liên Sơn",
    "Bình Minh",
    "Quang Trung",
    "Lê Lợi",
    "Phong Lạc",
    "Khánh Vân",
];

/// Mobile prefixes in use (Viettel, Vinaphone, MobiFone).
pub const MOBILE_PREFIXES: &[&str] = &[
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", "081",
    "082", "083", "084", "085", "088", "091", "094", "070", "076", "077", "078", "079", "090",
    "093",
];
