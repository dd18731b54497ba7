export enum UserRole {
  User = 'user',
  Operator = 'operator',
  Admin = 'admin',
}

export enum UserStatus {
  Active = 'active',
  Deactivated = 'deactivated',
}
